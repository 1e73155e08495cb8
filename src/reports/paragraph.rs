//! The report as a paragraph to paste into the half-year report, in the style centers write it:
//! «За 1 полугодие 2025 года сделано 9481 электронных версий дипломов, сертификатов и
//! благодарственных писем для 40 конкурсов, 7 семинаров, 3 курсов…».

use super::{Period, Report, Row};
use crate::i18n::Lang;

/// Russian nouns after a number: 1 конкурс, 2 конкурса, 5 конкурсов.
fn ru(n: usize, one: &str, few: &str, many: &str) -> String {
    let word = match (n % 10, n % 100) {
        (1, h) if h != 11 => one,
        (2..=4, h) if !(12..=14).contains(&h) => few,
        _ => many,
    };
    format!("{n} {word}")
}

fn row<'a>(report: &'a Report, breakdown: &str, key: &str) -> Option<&'a Row> {
    report.breakdowns.get(breakdown)?.iter().find(|r| r.key == key)
}

fn events_of(report: &Report, breakdown: &str, keys: &[&str]) -> usize {
    keys.iter()
        .filter_map(|k| row(report, breakdown, k))
        .map(|r| r.figures.events)
        .sum()
}

/// The paragraph in Kazakh or Russian (English for an English page).
pub fn paragraph(report: &Report, period: &Period, lang: Lang) -> String {
    let contests = events_of(report, "kind", &["competition", "olympiad", "festival"]);
    let seminars = events_of(report, "kind", &["seminar", "webinar"]);
    let courses = events_of(report, "kind", &["course"]);
    let audience = |key: &str| {
        row(report, "audience", key)
            .cloned()
            .map(|r| r.figures)
            .unwrap_or_default()
    };
    let (children, teachers, teams) = (audience("children"), audience("teachers"), audience("teams"));
    let docs = report.documents.issued;
    let label = period.label(lang);
    let certificates = report.documents.course_certificates;
    match lang {
        Lang::Ru => format!(
            "За {label} сделано {docs} электронных версий дипломов, сертификатов и благодарственных писем \
             для {}, {}, {}. {} для детей с охватом {}, из них победителей и призёров – {}; {} для \
             педагогов с охватом {}; {} для школьных парламентов и школьных газет с охватом {}. \
             Выдано {} с QR-кодом для слушателей курсов. Всего участий – {}, обучающихся (каждый \
             считается 1 раз) – {}.",
            ru(contests, "конкурса", "конкурсов", "конкурсов"),
            ru(seminars, "семинара", "семинаров", "семинаров"),
            ru(courses, "курса", "курсов", "курсов"),
            ru(children.events, "конкурс", "конкурса", "конкурсов"),
            ru(children.persons, "человека", "человек", "человек"),
            children.winners,
            ru(teachers.events, "конкурс", "конкурса", "конкурсов"),
            ru(teachers.persons, "человека", "человек", "человек"),
            ru(teams.events, "конкурс", "конкурса", "конкурсов"),
            ru(teams.persons, "человека", "человек", "человек"),
            ru(certificates, "сертификат", "сертификата", "сертификатов"),
            report.totals.participations,
            report.totals.persons,
        )
        .replace("сделано 1 электронных версий", "сделана 1 электронная версия"),
        Lang::Kk => format!(
            "{label} ішінде {contests} байқау, {seminars} семинар және {courses} курс үшін {docs} \
             электрондық диплом, сертификат пен алғыс хат жасалды. Балаларға арналған {} байқауға {} \
             адам қатысты, оның ішінде жеңімпаздар мен жүлдегерлер – {}; педагогтерге арналған {} \
             байқауға {} адам; мектеп парламенттері мен газеттеріне арналған {} байқауға {} адам \
             қатысты. Курс тыңдаушыларына QR-коды бар {certificates} сертификат берілді. Барлық \
             қатысу – {}, білім алушылар (әрқайсысы 1 рет есептеледі) – {}.",
            children.events,
            children.persons,
            children.winners,
            teachers.events,
            teachers.persons,
            teams.events,
            teams.persons,
            report.totals.participations,
            report.totals.persons,
        ),
        Lang::En => format!(
            "In {label}, {docs} electronic diplomas, certificates and letters of gratitude were issued \
             for {contests} competitions, {seminars} seminars and {courses} courses. {} events for \
             children reached {} people, {} of them winners and prize-winners; {} events for teachers \
             reached {}; {} events for school parliaments and newspapers reached {}. {certificates} \
             course certificates with a QR code. Participations: {}; learners, each counted once: {}.",
            children.events,
            children.persons,
            children.winners,
            teachers.events,
            teachers.persons,
            teams.events,
            teams.persons,
            report.totals.participations,
            report.totals.persons,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_numbers_take_their_noun_forms() {
        assert_eq!(ru(1, "конкурс", "конкурса", "конкурсов"), "1 конкурс");
        assert_eq!(ru(3, "конкурс", "конкурса", "конкурсов"), "3 конкурса");
        assert_eq!(ru(11, "конкурс", "конкурса", "конкурсов"), "11 конкурсов");
        assert_eq!(ru(22, "конкурс", "конкурса", "конкурсов"), "22 конкурса");
        assert_eq!(ru(40, "конкурс", "конкурса", "конкурсов"), "40 конкурсов");
    }
}
