/** @jsxImportSource hono/jsx */
/** Users of the page: admins add anyone; owners add owners and operators of their own account. */
import type { WebCtx } from "../../routes/web";
import { accountsOf, createUser, listUsers, type Role } from "../../services/users";
import { badRequest } from "../../lib/errors";
import { accountIn, actorOf, restaurantIn } from "../access";
import { t } from "../i18n";
import { CsrfField, Layout, respond } from "../layout";

export async function usersPage(w: WebCtx) {
  const tr = (s: string) => t(w.lang, s);
  const list = await listUsers(w.c.env, w.user);
  const accounts = await accountsOf(w.c.env, w.user);
  const accountName = new Map(accounts.map((a) => [a.id, a.name]));
  const roles: Role[] = w.user.role === "admin" ? ["admin", "owner", "operator"] : ["owner", "operator"];
  return respond(
    w.c,
    <Layout ctx={w} lang={w.lang} title={tr("Users")}>
      <h2>{tr("Users")}</h2>
      <table id="users">
        <thead>
          <tr>
            <th>{tr("Email")}</th>
            <th>{tr("Role")}</th>
            <th>{tr("Account")}</th>
          </tr>
        </thead>
        <tbody>
          {list.map((u) => (
            <tr>
              <td>{u.email}</td>
              <td>{u.role}</td>
              <td>{u.accountId ? (accountName.get(u.accountId) ?? u.accountId) : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <fieldset>
        <legend>{tr("Add user")}</legend>
        <form method="post" action="/admin/users" id="add-user">
          <CsrfField token={w.user.csrfToken} />
          <input name="email" type="email" required placeholder={tr("Email")} />
          <input name="password" type="password" required minlength={10} placeholder={tr("Password")} autocomplete="new-password" />
          <select name="role">
            {roles.map((r) => (
              <option value={r}>{r}</option>
            ))}
          </select>
          <select name="accountId">
            {accounts.map((a) => (
              <option value={a.id}>{a.name}</option>
            ))}
          </select>
          <br />
          <label>{tr("Restaurants (operators)")}: </label>
          {w.scope.restaurants.map((r) => (
            <label>
              <input type="checkbox" name={`r_${r.id}`} value="1" /> {r.name}{" "}
            </label>
          ))}
          <br />
          <button>{tr("Add user")}</button>
        </form>
      </fieldset>
    </Layout>,
  );
}

export const usersActions = {
  async create(w: WebCtx) {
    const role = w.form.role as Role;
    if (!["admin", "owner", "operator"].includes(role) || (role === "admin" && w.user.role !== "admin")) throw badRequest("choose a role");
    const accountId = role === "admin" ? null : accountIn(w.scope, w.form.accountId);
    const restaurantIds = Object.keys(w.form)
      .filter((k) => k.startsWith("r_"))
      .map((k) => restaurantIn(w.scope, k.slice(2)).id);
    await createUser(w.c.env, { email: w.form.email ?? "", password: w.form.password ?? "", role, accountId, restaurantIds }, actorOf(w.scope));
    return w.c.redirect("/admin/users", 303);
  },
};
