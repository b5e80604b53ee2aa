/**
 * What the bot itself says, in ru (default), uk and en. Telegram HTML: every
 * value interpolated here goes through `escapeHtml`, so callers pass plain text.
 * Names of event types, settings groups and reports come from the formatters'
 * and reports' dictionaries so a notification is called the same everywhere.
 */
import type { Language } from "../../domain/chat-settings";
import { escapeHtml as h } from "../../domain/format/html";

export interface BotTexts {
  help: (opts: { linked: boolean; isGroup: boolean; report: boolean }) => string;
  welcome: string;
  notLinked: string;
  adminsOnly: string;
  link: {
    usage: string;
    linkedRestaurant: (name: string) => string;
    linkedAccount: (account: string, restaurants: string[]) => string;
    alreadyLinked: (name: string) => string;
    unknown: string;
    expired: string;
    used: string;
    failed: string;
  };
  unlink: {
    choose: string;
    done: (name: string) => string;
    nothing: string;
    gone: string;
    cancelled: string;
    cancel: string;
    accountLabel: (name: string) => string;
  };
  status: {
    title: string;
    online: (since: string | null) => string;
    lost: (since: string | null) => string;
    never: string;
    posUp: string;
    posDown: (since: string | null) => string;
    posUnknown: string;
    license: { trial: (until: string) => string; active: (until: string) => string; expired: (since: string) => string; none: string };
    unavailable: string;
    more: (n: number) => string;
  };
  settings: {
    title: string;
    intro: string;
    groupIntro: (group: string) => string;
    language: string;
    languageIntro: string;
    print: string;
    printIntro: (mode: "none" | "all" | "match", words: string[]) => string;
    printAll: string;
    printNone: string;
    printMatch: string;
    printSetWords: string;
    printPrompt: string;
    printSaved: (words: string[]) => string;
    printNoWords: string;
    reports: string;
    reportsIntro: string;
    back: string;
    done: string;
    closed: string;
    stale: string;
    saved: string;
    on: string;
    off: string;
  };
  commands: Record<"start" | "help" | "link" | "unlink" | "status" | "settings" | "report", string>;
}

const list = (words: string[]) => words.map((w) => `<code>${h(w)}</code>`).join(", ");

const ru: BotTexts = {
  help: ({ linked, isGroup, report }) =>
    [
      "<b>Tillwatch</b> — уведомления о спорных кассовых операциях, отчёты и состояние ресторанов.",
      "",
      "/link <code>КОД</code> — подключить чат к ресторану или ко всем ресторанам владельца (код выдаёт администратор Tillwatch)",
      "/unlink — отключить чат от ресторана",
      "/status — связь с ресторанами, касса и лицензия",
      `/settings — какие уведомления присылать, язык, сервис-печать${report ? ", отчёты" : ""}`,
      ...(report ? ["/report — запросить кассовый отчёт"] : []),
      "/help — эта справка",
      ...(linked ? [] : ["", "Чат пока не подключён: отправьте /link с кодом подключения."]),
      ...(isGroup ? ["В группе подключать чат и менять настройки могут только администраторы."] : []),
    ].join("\n"),
  welcome: "Здравствуйте! Я бот Tillwatch.",
  notLinked: "Чат не подключён ни к одному ресторану. Отправьте /link <code>КОД</code> — код выдаёт администратор Tillwatch.",
  adminsOnly: "Это могут делать только администраторы группы.",
  link: {
    usage: "Отправьте код подключения так: /link <code>ABCDE-12345</code>",
    linkedRestaurant: (name) => `Готово: чат подключён к ресторану <b>${h(name)}</b>. Уведомления будут приходить сюда; настроить их — /settings.`,
    linkedAccount: (account, rs) =>
      `Готово: чат подключён ко всем ресторанам <b>${h(account)}</b>${rs.length ? ` (${rs.map(h).join(", ")})` : ""}. Каждое уведомление подписано названием ресторана; настроить — /settings.`,
    alreadyLinked: (name) => `Чат уже подключён к <b>${h(name)}</b>.`,
    unknown: "Такого кода нет. Проверьте код или попросите новый.",
    expired: "Срок действия кода истёк. Попросите новый код.",
    used: "Этот код уже использован. Каждый код подключает только один чат — попросите новый.",
    failed: "Не удалось подключить чат, попробуйте ещё раз.",
  },
  unlink: {
    choose: "От чего отключить этот чат?",
    done: (name) => `Чат отключён от <b>${h(name)}</b>.`,
    nothing: "Чат ни к чему не подключён.",
    gone: "Эта связь уже удалена.",
    cancelled: "Ничего не изменено.",
    cancel: "Отмена",
    accountLabel: (name) => `Все рестораны: ${name}`,
  },
  status: {
    title: "Состояние ресторанов",
    online: (since) => `🟢 на связи${since ? ` с ${h(since)}` : ""}`,
    lost: (since) => `🔴 нет связи${since ? ` с ${h(since)}` : ""}`,
    never: "⚪ агент ещё не подключался",
    posUp: "касса работает",
    posDown: (since) => `касса выключена${since ? ` с ${h(since)}` : ""}`,
    posUnknown: "состояние кассы неизвестно",
    license: {
      trial: (until) => `пробный период до ${h(until)}`,
      active: (until) => `лицензия до ${h(until)}`,
      expired: (since) => `⚠️ лицензия истекла ${h(since)}`,
      none: "нет кассовых серверов",
    },
    unavailable: "состояние недоступно",
    more: (n) => `…и ещё ${n}`,
  },
  settings: {
    title: "⚙️ Настройки чата",
    intro: "Выберите раздел. Галочка — уведомление приходит в этот чат.",
    groupIntro: (g) => `<b>${h(g)}</b>\nНажмите на уведомление, чтобы включить или выключить его.`,
    language: "🌐 Язык",
    languageIntro: "Язык сообщений бота и уведомлений в этом чате:",
    print: "🖨 Сервис-печать",
    printIntro: (mode, words) =>
      "<b>Сервис-печать</b>\n" +
      (mode === "all"
        ? "Сейчас: пересылаются все документы."
        : mode === "none"
          ? "Сейчас: не пересылается."
          : `Сейчас: только документы, где принтер, назначение или заголовок содержат: ${words.length ? list(words) : "—"}.`) +
      "\nСлова можно задать и командой /settings print <code>банкет, banquet</code>",
    printAll: "Все документы",
    printNone: "Не пересылать",
    printMatch: "Только по словам",
    printSetWords: "✏️ Задать слова",
    printPrompt: "Ответьте на это сообщение словами через запятую (например: банкет, banquet) — пересылаться будут только документы с ними.",
    printSaved: (words) => `Сервис-печать: только документы со словами ${list(words)}.`,
    printNoWords: "Слова не заданы. Пример: /settings print <code>банкет, banquet</code>",
    reports: "📊 Отчёты",
    reportsIntro: "Какие отчёты можно запросить в этом чате:",
    back: "« Назад",
    done: "Готово",
    closed: "Настройки сохранены.",
    stale: "Это меню устарело, откройте /settings заново.",
    saved: "Сохранено",
    on: "вкл.",
    off: "выкл.",
  },
  commands: {
    start: "Начать",
    help: "Справка",
    link: "Подключить чат по коду",
    unlink: "Отключить чат",
    status: "Состояние ресторанов",
    settings: "Настройки уведомлений",
    report: "Запросить отчёт",
  },
};

const uk: BotTexts = {
  help: ({ linked, isGroup, report }) =>
    [
      "<b>Tillwatch</b> — сповіщення про спірні касові операції, звіти та стан ресторанів.",
      "",
      "/link <code>КОД</code> — підключити чат до ресторану або до всіх ресторанів власника (код видає адміністратор Tillwatch)",
      "/unlink — відключити чат від ресторану",
      "/status — зв'язок із ресторанами, каса й ліцензія",
      `/settings — які сповіщення надсилати, мова, сервіс-друк${report ? ", звіти" : ""}`,
      ...(report ? ["/report — запросити касовий звіт"] : []),
      "/help — ця довідка",
      ...(linked ? [] : ["", "Чат ще не підключено: надішліть /link з кодом підключення."]),
      ...(isGroup ? ["У групі підключати чат і змінювати налаштування можуть лише адміністратори."] : []),
    ].join("\n"),
  welcome: "Вітаю! Я бот Tillwatch.",
  notLinked: "Чат не підключено до жодного ресторану. Надішліть /link <code>КОД</code> — код видає адміністратор Tillwatch.",
  adminsOnly: "Це можуть робити лише адміністратори групи.",
  link: {
    usage: "Надішліть код підключення так: /link <code>ABCDE-12345</code>",
    linkedRestaurant: (name) => `Готово: чат підключено до ресторану <b>${h(name)}</b>. Сповіщення надходитимуть сюди; налаштувати — /settings.`,
    linkedAccount: (account, rs) =>
      `Готово: чат підключено до всіх ресторанів <b>${h(account)}</b>${rs.length ? ` (${rs.map(h).join(", ")})` : ""}. Кожне сповіщення підписане назвою ресторану; налаштувати — /settings.`,
    alreadyLinked: (name) => `Чат уже підключено до <b>${h(name)}</b>.`,
    unknown: "Такого коду немає. Перевірте код або попросіть новий.",
    expired: "Термін дії коду минув. Попросіть новий код.",
    used: "Цей код уже використано. Кожен код підключає лише один чат — попросіть новий.",
    failed: "Не вдалося підключити чат, спробуйте ще раз.",
  },
  unlink: {
    choose: "Від чого відключити цей чат?",
    done: (name) => `Чат відключено від <b>${h(name)}</b>.`,
    nothing: "Чат ні до чого не підключено.",
    gone: "Цей зв'язок уже видалено.",
    cancelled: "Нічого не змінено.",
    cancel: "Скасувати",
    accountLabel: (name) => `Усі ресторани: ${name}`,
  },
  status: {
    title: "Стан ресторанів",
    online: (since) => `🟢 на зв'язку${since ? ` з ${h(since)}` : ""}`,
    lost: (since) => `🔴 немає зв'язку${since ? ` з ${h(since)}` : ""}`,
    never: "⚪ агент ще не підключався",
    posUp: "каса працює",
    posDown: (since) => `касу вимкнено${since ? ` з ${h(since)}` : ""}`,
    posUnknown: "стан каси невідомий",
    license: {
      trial: (until) => `пробний період до ${h(until)}`,
      active: (until) => `ліцензія до ${h(until)}`,
      expired: (since) => `⚠️ ліцензія скінчилася ${h(since)}`,
      none: "немає касових серверів",
    },
    unavailable: "стан недоступний",
    more: (n) => `…і ще ${n}`,
  },
  settings: {
    title: "⚙️ Налаштування чату",
    intro: "Оберіть розділ. Галочка — сповіщення надходить у цей чат.",
    groupIntro: (g) => `<b>${h(g)}</b>\nНатисніть на сповіщення, щоб увімкнути або вимкнути його.`,
    language: "🌐 Мова",
    languageIntro: "Мова повідомлень бота та сповіщень у цьому чаті:",
    print: "🖨 Сервіс-друк",
    printIntro: (mode, words) =>
      "<b>Сервіс-друк</b>\n" +
      (mode === "all"
        ? "Зараз: пересилаються всі документи."
        : mode === "none"
          ? "Зараз: не пересилається."
          : `Зараз: лише документи, де принтер, призначення або заголовок містять: ${words.length ? list(words) : "—"}.`) +
      "\nСлова можна задати й командою /settings print <code>банкет, banquet</code>",
    printAll: "Усі документи",
    printNone: "Не пересилати",
    printMatch: "Лише за словами",
    printSetWords: "✏️ Задати слова",
    printPrompt: "Дайте відповідь на це повідомлення словами через кому (наприклад: банкет, banquet) — пересилатимуться лише документи з ними.",
    printSaved: (words) => `Сервіс-друк: лише документи зі словами ${list(words)}.`,
    printNoWords: "Слова не задано. Приклад: /settings print <code>банкет, banquet</code>",
    reports: "📊 Звіти",
    reportsIntro: "Які звіти можна запросити в цьому чаті:",
    back: "« Назад",
    done: "Готово",
    closed: "Налаштування збережено.",
    stale: "Це меню застаріло, відкрийте /settings знову.",
    saved: "Збережено",
    on: "увімк.",
    off: "вимк.",
  },
  commands: {
    start: "Почати",
    help: "Довідка",
    link: "Підключити чат за кодом",
    unlink: "Відключити чат",
    status: "Стан ресторанів",
    settings: "Налаштування сповіщень",
    report: "Запросити звіт",
  },
};

const en: BotTexts = {
  help: ({ linked, isGroup, report }) =>
    [
      "<b>Tillwatch</b> — alerts about risky till operations, reports and the state of your restaurants.",
      "",
      "/link <code>CODE</code> — link this chat to a restaurant or to all of an owner's restaurants (your Tillwatch administrator gives you the code)",
      "/unlink — unlink this chat from a restaurant",
      "/status — connection, POS and licence of each restaurant",
      `/settings — which alerts to send, language, service print${report ? ", reports" : ""}`,
      ...(report ? ["/report — request a till report"] : []),
      "/help — this help",
      ...(linked ? [] : ["", "This chat is not linked yet: send /link with your link code."]),
      ...(isGroup ? ["In a group only administrators can link the chat and change settings."] : []),
    ].join("\n"),
  welcome: "Hello! I am the Tillwatch bot.",
  notLinked: "This chat is not linked to any restaurant. Send /link <code>CODE</code> — your Tillwatch administrator gives you the code.",
  adminsOnly: "Only group administrators can do that.",
  link: {
    usage: "Send your link code like this: /link <code>ABCDE-12345</code>",
    linkedRestaurant: (name) => `Done: this chat is linked to <b>${h(name)}</b>. Alerts will arrive here; adjust them with /settings.`,
    linkedAccount: (account, rs) =>
      `Done: this chat is linked to every restaurant of <b>${h(account)}</b>${rs.length ? ` (${rs.map(h).join(", ")})` : ""}. Each alert is headed with the restaurant's name; adjust them with /settings.`,
    alreadyLinked: (name) => `This chat is already linked to <b>${h(name)}</b>.`,
    unknown: "There is no such code. Check it or ask for a new one.",
    expired: "This code has expired. Ask for a new one.",
    used: "This code has already been used. Each code links one chat only — ask for a new one.",
    failed: "Could not link the chat, please try again.",
  },
  unlink: {
    choose: "Unlink this chat from what?",
    done: (name) => `This chat is no longer linked to <b>${h(name)}</b>.`,
    nothing: "This chat is not linked to anything.",
    gone: "That link has already been removed.",
    cancelled: "Nothing changed.",
    cancel: "Cancel",
    accountLabel: (name) => `All restaurants: ${name}`,
  },
  status: {
    title: "Restaurant status",
    online: (since) => `🟢 online${since ? ` since ${h(since)}` : ""}`,
    lost: (since) => `🔴 connection lost${since ? ` since ${h(since)}` : ""}`,
    never: "⚪ the agent has not connected yet",
    posUp: "POS running",
    posDown: (since) => `POS down${since ? ` since ${h(since)}` : ""}`,
    posUnknown: "POS state unknown",
    license: {
      trial: (until) => `trial until ${h(until)}`,
      active: (until) => `licence until ${h(until)}`,
      expired: (since) => `⚠️ licence expired ${h(since)}`,
      none: "no cash servers",
    },
    unavailable: "status unavailable",
    more: (n) => `…and ${n} more`,
  },
  settings: {
    title: "⚙️ Chat settings",
    intro: "Pick a section. A tick means the alert is sent to this chat.",
    groupIntro: (g) => `<b>${h(g)}</b>\nTap an alert to switch it on or off.`,
    language: "🌐 Language",
    languageIntro: "Language of the bot and of alerts in this chat:",
    print: "🖨 Service print",
    printIntro: (mode, words) =>
      "<b>Service print</b>\n" +
      (mode === "all"
        ? "Now: every document is forwarded."
        : mode === "none"
          ? "Now: not forwarded."
          : `Now: only documents whose printer, purpose or title contains: ${words.length ? list(words) : "—"}.`) +
      "\nYou can also set the words with /settings print <code>banquet, банкет</code>",
    printAll: "All documents",
    printNone: "Do not forward",
    printMatch: "Only matching words",
    printSetWords: "✏️ Set words",
    printPrompt: "Reply to this message with words separated by commas (for example: banquet, банкет) — only documents containing them will be forwarded.",
    printSaved: (words) => `Service print: only documents with ${list(words)}.`,
    printNoWords: "No words given. Example: /settings print <code>banquet, банкет</code>",
    reports: "📊 Reports",
    reportsIntro: "Reports that can be requested in this chat:",
    back: "« Back",
    done: "Done",
    closed: "Settings saved.",
    stale: "This menu is out of date, open /settings again.",
    saved: "Saved",
    on: "on",
    off: "off",
  },
  commands: {
    start: "Start",
    help: "Help",
    link: "Link this chat with a code",
    unlink: "Unlink this chat",
    status: "Restaurant status",
    settings: "Alert settings",
    report: "Request a report",
  },
};

const TEXTS: Record<Language, BotTexts> = { ru, uk, en };

export function botTexts(lang: Language): BotTexts {
  return TEXTS[lang] ?? ru;
}

/** The prompt for service-print words in every language: a reply to any of them sets the words. */
export const PRINT_PROMPTS: readonly string[] = Object.values(TEXTS).map((t) => t.settings.printPrompt);
