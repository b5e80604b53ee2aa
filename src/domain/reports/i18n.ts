/**
 * Words of the report renderer in the three chat languages. Report names are
 * ours, not the agent's: a chat in English reads "Dish sales" whatever the
 * till calls the report.
 */
import type { ReportKind } from "../../protocol/report";
import type { Language } from "../chat-settings";

type Phrase = Record<Language, string>;

const REPORT_TITLES: Record<ReportKind, Phrase> = {
  balance: { ru: "Балансовый отчёт", uk: "Балансовий звіт", en: "Balance report" },
  dishes: { ru: "Расход блюд", uk: "Витрата страв", en: "Dish sales" },
  hourly: { ru: "Продажи по часам", uk: "Продажі по годинах", en: "Sales by hour" },
  discounts: { ru: "Скидки", uk: "Знижки", en: "Discounts" },
  deletions: { ru: "Удаления", uk: "Видалення", en: "Deletions" },
  payments: { ru: "Оплаты", uk: "Оплати", en: "Payments" },
  employees: { ru: "Продажи по сотрудникам", uk: "Продажі за працівниками", en: "Sales by employee" },
};

export function reportTitle(kind: ReportKind, lang: Language): string {
  return REPORT_TITLES[kind][lang];
}

const PHRASES = {
  noData: { ru: "нет данных", uk: "немає даних", en: "no data" },
  continued: { ru: "(продолжение)", uk: "(продовження)", en: "(continued)" },
  total: { ru: "Итого", uk: "Разом", en: "Total" },
  shift: { ru: "Смена №{n}", uk: "Зміна №{n}", en: "Shift #{n}" },
  shiftOpen: { ru: "Смена №{n} (открыта)", uk: "Зміна №{n} (відкрита)", en: "Shift #{n} (open)" },
  shiftClosed: { ru: "Закрытие смены №{n}", uk: "Закриття зміни №{n}", en: "Shift #{n} closed" },
  shiftClosedNoNumber: { ru: "Закрытие смены", uk: "Закриття зміни", en: "Shift closed" },
  peak: { ru: "Пик", uk: "Пік", en: "Peak" },
  choiceCurrentShift: { ru: "Текущая смена", uk: "Поточна зміна", en: "Current shift" },
  choiceLastShift: { ru: "Последняя закрытая смена", uk: "Остання закрита зміна", en: "Last closed shift" },
  choiceToday: { ru: "Сегодня", uk: "Сьогодні", en: "Today" },
  choiceYesterday: { ru: "Вчера", uk: "Вчора", en: "Yesterday" },
  choiceDate: { ru: "За дату…", uk: "За дату…", en: "On a date…" },
  period: { ru: "Период", uk: "Період", en: "Period" },
  part: { ru: "часть {n} из {of}", uk: "частина {n} з {of}", en: "part {n} of {of}" },
  requesting: { ru: "⏳ Запрашиваю у кассы…", uk: "⏳ Запитую в каси…", en: "⏳ Asking the till…" },
  offline: {
    ru: "🔌 Касса ресторана не на связи: отчёт сейчас не получить. Последний раз была на связи {seen}.",
    uk: "🔌 Каса ресторану не на зв'язку: звіт зараз не отримати. Востаннє була на зв'язку {seen}.",
    en: "🔌 The restaurant's till is offline, so the report cannot be made now. Last seen {seen}.",
  },
  offlineNever: {
    ru: "🔌 Касса ресторана ещё ни разу не выходила на связь: отчёт получить нельзя.",
    uk: "🔌 Каса ресторану ще жодного разу не виходила на зв'язок: звіт отримати не можна.",
    en: "🔌 The restaurant's till has never connected yet, so no report can be made.",
  },
  timeout: {
    ru: "⌛ Касса не ответила за {seconds} с. Попробуйте ещё раз чуть позже.",
    uk: "⌛ Каса не відповіла за {seconds} с. Спробуйте ще раз трохи пізніше.",
    en: "⌛ The till did not answer within {seconds} s. Please try again a little later.",
  },
  agentError: {
    ru: "⚠️ Касса не смогла сформировать отчёт: {message}",
    uk: "⚠️ Каса не змогла сформувати звіт: {message}",
    en: "⚠️ The till could not make the report: {message}",
  },
  notAllowed: {
    ru: "Этот отчёт недоступен в этом чате.",
    uk: "Цей звіт недоступний у цьому чаті.",
    en: "This report is not available in this chat.",
  },
  noReports: {
    ru: "В этом чате не включён ни один отчёт. Включить их можно в /settings.",
    uk: "У цьому чаті не ввімкнено жодного звіту. Увімкнути їх можна в /settings.",
    en: "No reports are switched on in this chat. Switch them on in /settings.",
  },
  noRestaurants: {
    ru: "К этому чату пока не подключён ни один ресторан.",
    uk: "До цього чату ще не підключено жодного ресторану.",
    en: "No restaurant is linked to this chat yet.",
  },
  chooseRestaurant: { ru: "📊 Отчёт: выберите ресторан", uk: "📊 Звіт: оберіть ресторан", en: "📊 Report: choose the restaurant" },
  chooseReport: { ru: "📊 Выберите отчёт", uk: "📊 Оберіть звіт", en: "📊 Choose the report" },
  choosePeriod: { ru: "🗓 За какой период?", uk: "🗓 За який період?", en: "🗓 For which period?" },
  chooseDate: { ru: "🗓 Выберите дату", uk: "🗓 Оберіть дату", en: "🗓 Choose the date" },
  earlier: { ru: "« Раньше", uk: "« Раніше", en: "« Earlier" },
  later: { ru: "Позже »", uk: "Пізніше »", en: "Later »" },
  back: { ru: "‹ Назад", uk: "‹ Назад", en: "‹ Back" },
  close: { ru: "✖ Закрыть", uk: "✖ Закрити", en: "✖ Close" },
  closed: { ru: "Меню отчётов закрыто.", uk: "Меню звітів закрито.", en: "Reports menu closed." },
  retry: { ru: "🔁 Ещё раз", uk: "🔁 Ще раз", en: "🔁 Try again" },
  stale: { ru: "Это меню устарело: откройте /report заново.", uk: "Це меню застаріло: відкрийте /report знову.", en: "This menu is out of date: open /report again." },
  autoReport: { ru: "🔒 Автоотчёт: закрытие смены №{n}", uk: "🔒 Автозвіт: закриття зміни №{n}", en: "🔒 Automatic report: shift #{n} closed" },
  autoReportNoNumber: { ru: "🔒 Автоотчёт: закрытие смены", uk: "🔒 Автозвіт: закриття зміни", en: "🔒 Automatic report: shift closed" },
  chartCaption: { ru: "{title}: выручка по часам, {currency}", uk: "{title}: виторг по годинах, {currency}", en: "{title}: revenue by hour, {currency}" },
} satisfies Record<string, Phrase>;

export type PhraseKey = keyof typeof PHRASES;

/** A phrase in the chat's language, with `{name}` placeholders filled in. */
export function phrase(key: PhraseKey, lang: Language, vars: Record<string, string | number> = {}): string {
  return PHRASES[key][lang].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ""));
}

/**
 * The agent speaks Russian (r_keeper's reports and our simulator both do):
 * section and column titles and the few fixed cell words it uses are
 * translated here for uk and en chats. Anything not listed (dish names,
 * payment methods, people) is shown as the till sent it.
 */
const GLOSSARY: Record<string, { uk: string; en: string }> = {
  // sections
  "Выручка": { uk: "Виторг", en: "Revenue" },
  "Оплаты": { uk: "Оплати", en: "Payments" },
  "Удаления и отмены": { uk: "Видалення та скасування", en: "Deletions and cancellations" },
  "Блюда": { uk: "Страви", en: "Dishes" },
  "По часам": { uk: "По годинах", en: "By hour" },
  "Применённые скидки": { uk: "Застосовані знижки", en: "Discounts applied" },
  "Удалённые скидки": { uk: "Видалені знижки", en: "Discounts removed" },
  "Удаления": { uk: "Видалення", en: "Deletions" },
  "Сотрудники": { uk: "Працівники", en: "Employees" },
  "Скидки": { uk: "Знижки", en: "Discounts" },
  // columns
  "Чеков": { uk: "Чеків", en: "Checks" },
  "Гостей": { uk: "Гостей", en: "Guests" },
  "Сумма по меню": { uk: "Сума за меню", en: "Menu total" },
  "Средний чек": { uk: "Середній чек", en: "Avg check" },
  "Способ оплаты": { uk: "Спосіб оплати", en: "Method" },
  "Сумма": { uk: "Сума", en: "Amount" },
  "Операция": { uk: "Операція", en: "Operation" },
  "Количество": { uk: "Кількість", en: "Quantity" },
  "Кол-во": { uk: "К-сть", en: "Qty" },
  "Категория": { uk: "Категорія", en: "Category" },
  "Блюдо": { uk: "Страва", en: "Dish" },
  "Час": { uk: "Година", en: "Hour" },
  "Скидка": { uk: "Знижка", en: "Discount" },
  "Вид": { uk: "Вид", en: "Kind" },
  "Применений": { uk: "Застосувань", en: "Uses" },
  "Время": { uk: "Час", en: "Time" },
  "Заказ": { uk: "Замовлення", en: "Order" },
  "Сотрудник": { uk: "Працівник", en: "Employee" },
  "Менеджер": { uk: "Менеджер", en: "Manager" },
  "Причина": { uk: "Причина", en: "Reason" },
  "Доля": { uk: "Частка", en: "Share" },
  "Удалений": { uk: "Видалень", en: "Deletions" },
  "Официант": { uk: "Офіціант", en: "Waiter" },
  "Кассир": { uk: "Касир", en: "Cashier" },
  "Валюта": { uk: "Валюта", en: "Currency" },
  // fixed cell words
  "Итого": { uk: "Разом", en: "Total" },
  "Лояльность": { uk: "Лояльність", en: "Loyalty" },
  "Без категории": { uk: "Без категорії", en: "Uncategorised" },
  "Удаление блюда": { uk: "Видалення страви", en: "Dish deleted" },
  "Удаление несохранённого блюда": { uk: "Видалення незбереженої страви", en: "Unsaved dish deleted" },
  "Удаление чека": { uk: "Видалення чека", en: "Check deleted" },
  "Аннулирование чека": { uk: "Анулювання чека", en: "Check annulled" },
  "Отмена пречека": { uk: "Скасування пречека", en: "Pre-check cancelled" },
  "Наличные": { uk: "Готівка", en: "Cash" },
  "Банковская карта": { uk: "Банківська картка", en: "Bank card" },
  "Карта": { uk: "Картка", en: "Card" },
};

/** A till's word in the chat's language, when we know it; otherwise as sent. */
export function translateLabel(text: string, lang: Language): string {
  if (lang === "ru") return text;
  return GLOSSARY[text]?.[lang] ?? text;
}
