//! Names of the report's breakdowns and of the values they count by, in kk/ru/en, for the page
//! and the files alike.

use crate::i18n::Lang;

/// The breakdown's title: "Регион", "Облыс", "Region".
pub fn breakdown(name: &str, lang: Lang) -> String {
    let [kk, ru, en] = match name {
        "department" => ["Бөлім", "Отдел", "Department"],
        "kind" => ["Іс-шара түрі", "Вид мероприятия", "Kind of event"],
        "audience" => ["Кімге арналған", "Для кого", "Audience"],
        "direction" => ["Бағыты", "Направленность", "Direction"],
        "language" => ["Тілі", "Язык", "Language"],
        "level" => ["Деңгейі", "Уровень", "Level"],
        "region" => ["Өңір", "Регион", "Region"],
        "settlement" => ["Қала / ауыл", "Город / село", "City / village"],
        "organization" => [
            "Ұйымдар (үздік 20)",
            "Организации (первые 20)",
            "Organizations (top 20)",
        ],
        "age_group" => ["Жас санаты", "Возрастная категория", "Age group"],
        other => [other, other, other],
    };
    match lang {
        Lang::Kk => kk,
        Lang::Ru => ru,
        Lang::En => en,
    }
    .to_string()
}

/// A value as people say it: "technical" → "Техническая"; a row that said nothing → "не указано".
pub fn value(name: &str, key: &str, lang: Lang) -> String {
    let pick = |[kk, ru, en]: [&str; 3]| match lang {
        Lang::Kk => kk.to_string(),
        Lang::Ru => ru.to_string(),
        Lang::En => en.to_string(),
    };
    if key.is_empty() {
        return pick(["көрсетілмеген", "не указано", "not given"]);
    }
    let known = match (name, key) {
        ("kind", "competition") => ["Байқау", "Конкурс", "Competition"],
        ("kind", "olympiad") => ["Олимпиада", "Олимпиада", "Olympiad"],
        ("kind", "festival") => ["Фестиваль", "Фестиваль", "Festival"],
        ("kind", "seminar") => ["Семинар", "Семинар", "Seminar"],
        ("kind", "webinar") => ["Вебинар", "Вебинар", "Webinar"],
        ("kind", "course") => ["Курс", "Курс", "Course"],
        ("audience", "children") => ["Балалар", "Дети", "Children"],
        ("audience", "teachers") => ["Педагогтер", "Педагоги", "Teachers"],
        ("audience", "teams") => ["Командалар", "Команды", "Teams"],
        ("audience", "mixed") => ["Аралас", "Смешанная", "Mixed"],
        ("direction", "technical") => ["Техникалық", "Техническая", "Technical"],
        ("direction", "natural_science") => ["Жаратылыстану-ғылыми", "Естественнонаучная", "Natural science"],
        ("direction", "tourism_local_history") => [
            "Туристік-өлкетану",
            "Туристско-краеведческая",
            "Tourism and local history",
        ],
        ("direction", "social_humanitarian") => [
            "Әлеуметтік-гуманитарлық",
            "Социально-гуманитарная",
            "Social and humanitarian",
        ],
        ("direction", "arts") => ["Көркем", "Художественная", "Arts"],
        ("direction", "physical_culture_sports") => [
            "Дене шынықтыру-спорттық",
            "Физкультурно-спортивная",
            "Physical culture and sports",
        ],
        ("level", "school") => ["Мектеп", "Школьный", "School"],
        ("level", "district") => ["Аудандық / қалалық", "Районный / городской", "District / city"],
        ("level", "regional") => ["Облыстық", "Областной", "Regional"],
        ("level", "national") => ["Республикалық", "Республиканский", "National"],
        ("level", "international") => ["Халықаралық", "Международный", "International"],
        ("settlement", "city") => ["Қала", "Город", "City"],
        ("settlement", "rural") => ["Ауыл", "Село", "Village"],
        ("language", "kk") => ["Қазақ тілі", "Казахский", "Kazakh"],
        ("language", "ru") => ["Орыс тілі", "Русский", "Russian"],
        ("language", "en") => ["Ағылшын тілі", "Английский", "English"],
        _ => return key.to_string(),
    };
    pick(known)
}

/// The summary's lines: what each total is called.
pub fn summary(lang: Lang) -> [&'static str; 11] {
    match lang {
        Lang::Kk => [
            "Іс-шаралар",
            "Нәтижесі шығарылған",
            "Нәтиже күтілуде",
            "Қатысу",
            "Білім алушылар (әрқайсысы 1 рет)",
            "Командалар",
            "Жеңімпаздар мен жүлдегерлер",
            "Берілген құжаттар (QR-кодпен)",
            "Электрондық поштамен жеткізілді",
            "Тексерулер (QR сканерлеу)",
            "Кері қайтарылды",
        ],
        Lang::Ru => [
            "Мероприятия",
            "С выданными документами",
            "Результаты ожидаются",
            "Участия",
            "Обучающиеся (каждый 1 раз)",
            "Команды",
            "Победители и призёры",
            "Выдано документов (с QR-кодом)",
            "Доставлено по электронной почте",
            "Проверки (сканирования QR)",
            "Отозвано",
        ],
        Lang::En => [
            "Events",
            "With papers issued",
            "Results pending",
            "Participations",
            "Learners (each once)",
            "Teams",
            "Winners and prize-winners",
            "Papers issued (with QR)",
            "Delivered by e-mail",
            "Verifications (QR scans)",
            "Revoked",
        ],
    }
}

/// The summary's values, in the order of [`summary`].
pub fn summary_values(report: &super::Report) -> [i64; 11] {
    let t = &report.totals;
    let d = &report.documents;
    let n = |v: usize| i64::try_from(v).unwrap_or(i64::MAX);
    [
        n(t.events),
        n(report.finished_events),
        n(report.pending_events),
        n(t.participations),
        n(t.persons),
        n(t.teams),
        n(t.winners),
        n(d.issued),
        d.delivered,
        d.scans,
        n(d.revoked),
    ]
}
