/**
 * The simulated restaurant: its stations, staff, menu, discounts and habits.
 * Russian names, prices in kopecks — it should look like a real r_keeper site.
 */
export interface Person {
  code: string;
  name: string;
  role: "waiter" | "bartender" | "cashier" | "manager";
}

export interface Dish {
  code: string;
  name: string;
  category: string;
  price: number;
  printer: "Кухня" | "Бар";
}

export interface DiscountSpec {
  code: string;
  name: string;
  percent: number;
}

export const RESTAURANT_NAME = "Ресторан «Берёзка»";

export const STATIONS = [
  { code: "1", name: "Касса зал" },
  { code: "2", name: "Касса бар" },
  { code: "3", name: "Касса фаст-фуд" },
] as const;
export type StationRef = (typeof STATIONS)[number];

export const STAFF: Person[] = [
  { code: "11", name: "Иванова А.", role: "waiter" },
  { code: "12", name: "Смирнов Д.", role: "waiter" },
  { code: "13", name: "Кузнецова Е.", role: "waiter" },
  { code: "14", name: "Попов И.", role: "waiter" },
  { code: "15", name: "Васильева О.", role: "waiter" },
  { code: "21", name: "Новиков П.", role: "bartender" },
  { code: "31", name: "Морозова Т.", role: "cashier" },
  { code: "1", name: "Петров С.", role: "manager" },
  { code: "2", name: "Соколова М.", role: "manager" },
];

const d = (code: string, name: string, category: string, rub: number, printer: Dish["printer"] = "Кухня"): Dish => ({
  code,
  name,
  category,
  price: rub * 100,
  printer,
});

export const MENU: Dish[] = [
  d("1001", "Цезарь с курицей", "Салаты", 490),
  d("1002", "Оливье", "Салаты", 390),
  d("1003", "Греческий салат", "Салаты", 420),
  d("1004", "Винегрет", "Салаты", 290),
  d("1101", "Борщ с пампушками", "Супы", 380),
  d("1102", "Солянка сборная", "Супы", 420),
  d("1103", "Уха по-фински", "Супы", 450),
  d("1104", "Куриный суп с лапшой", "Супы", 320),
  d("1201", "Стейк рибай", "Горячее", 2500),
  d("1202", "Котлета по-киевски", "Горячее", 590),
  d("1203", "Бефстроганов с пюре", "Горячее", 620),
  d("1204", "Пельмени домашние", "Горячее", 450),
  d("1205", "Судак с овощами", "Горячее", 780),
  d("1206", "Плов с бараниной", "Горячее", 550),
  d("1301", "Картофельное пюре", "Гарниры", 180),
  d("1302", "Рис с овощами", "Гарниры", 180),
  d("1303", "Овощи гриль", "Гарниры", 240),
  d("1401", "Блины со сметаной", "Десерты", 260),
  d("1402", "Сырники", "Десерты", 320),
  d("1403", "Медовик", "Десерты", 340),
  d("1404", "Наполеон", "Десерты", 340),
  d("2001", "Морс клюквенный", "Напитки", 150, "Бар"),
  d("2002", "Квас", "Напитки", 140, "Бар"),
  d("2003", "Чай чёрный", "Напитки", 120, "Бар"),
  d("2004", "Капучино", "Напитки", 190, "Бар"),
  d("2005", "Американо", "Напитки", 160, "Бар"),
  d("2006", "Лимонад домашний", "Напитки", 240, "Бар"),
  d("2101", "Пиво светлое 0,5", "Бар", 350, "Бар"),
  d("2102", "Водка 50 мл", "Бар", 250, "Бар"),
  d("2103", "Вино красное, бокал", "Бар", 450, "Бар"),
  d("2104", "Коньяк 50 мл", "Бар", 550, "Бар"),
  d("3001", "Шаурма с курицей", "Фаст-фуд", 290),
  d("3002", "Хот-дог", "Фаст-фуд", 190),
  d("3003", "Картофель фри", "Фаст-фуд", 150),
  d("3004", "Бургер классический", "Фаст-фуд", 390),
];

export const KITCHEN_CATEGORIES = ["Салаты", "Супы", "Горячее", "Гарниры", "Десерты"];
export const DRINK_CATEGORIES = ["Напитки", "Бар"];
export const FAST_FOOD_CATEGORY = "Фаст-фуд";

export const DISCOUNTS: DiscountSpec[] = [
  { code: "5", name: "Скидка постоянному гостю 10%", percent: 10 },
  { code: "6", name: "Скидка сотрудника 20%", percent: 20 },
  { code: "7", name: "Счастливые часы 15%", percent: 15 },
];

export const LOYALTY = { code: "40", name: "Бонусная карта «Берёзка» 5%", percent: 5, system: "Берёзка Лояльность" };
export const LOYALTY_HOLDERS = ["Алексеев В.", "Григорьева Н.", "Фёдоров К.", "Орлова Ю.", "Лебедев Р."];

export const PAYMENT_METHODS = [
  ["Банковская карта", 50],
  ["Наличные", 33],
  ["СБП", 14],
  ["Подарочный сертификат", 3],
] as const;

export const DISH_DELETE_REASONS = ["Ошибка официанта", "Гость отказался", "Долгое ожидание", "Стоп-лист", "Брак кухни"];
export const CHECK_DELETE_REASONS = ["Ошибка кассира", "Неверный способ оплаты", "Возврат гостю"];
export const PRECHECK_CANCEL_REASONS = ["Гость дозаказал", "Разделить счёт", "Ошибка в заказе"];
export const CHECK_UNDO_REASONS = ["Неверный способ оплаты", "Ошибка в сумме"];

/** Dine-in guests arriving per hour of the local day (open 10:00–23:30). */
export const ARRIVALS_PER_HOUR: Record<number, number> = {
  10: 2, 11: 4, 12: 8, 13: 12, 14: 10, 15: 6, 16: 5, 17: 6, 18: 10, 19: 14, 20: 12, 21: 8, 22: 4,
};
export const FAST_FOOD_PER_HOUR = 4;
export const OPEN_HOUR = 10;
export const LAST_ORDER_HOUR = 22;
export const CLOSE_AT = { hour: 23, minute: 30 };
