//! The report page: a period (quarter, half-year, year, academic year, or two dates), the totals
//! beside the previous period's, each breakdown as bars, the paragraph to paste in kk and ru, and
//! the XLSX and CSV. The same service as `GET /api/v1/reports`.

use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;

use super::session::Member;
use super::view::{ok, page_lang};
use crate::domain::time::today;
use crate::i18n::Lang;
use crate::reports::{self, labels, Period};
use crate::web::reports::{build, report_file, PeriodQuery};
use crate::web::{ApiError, AppState};

/// The periods offered: this year and the two before, each as a year, halves, quarters and the
/// academic year that starts in it.
fn choices(lang: Lang, chosen: &str) -> Vec<minijinja::Value> {
    let year = today().year();
    let mut out = Vec::new();
    for y in (year - 2..=year).rev() {
        let academic = format!("{y}-{}", y + 1);
        for code in [
            format!("{y}-h1"),
            format!("{y}-h2"),
            format!("{y}"),
            academic,
            format!("{y}-q1"),
            format!("{y}-q2"),
            format!("{y}-q3"),
            format!("{y}-q4"),
        ] {
            if let Some(period) = Period::parse(&code) {
                out.push(context! { code => code.clone(), label => period.label(lang), selected => code == chosen });
            }
        }
    }
    out
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<PeriodQuery>,
) -> Result<HttpResponse, ApiError> {
    let organizer = member.organizer()?;
    let (lang, _) = page_lang(&req);
    let period = query.period()?;
    let departments = {
        let org = organizer.organization_id.clone();
        state
            .db
            .run(move |conn| crate::db::departments::list(conn, &org))
            .await?
    };
    let report = build(
        &state,
        organizer.organization_id,
        period,
        query.department.clone(),
    )
    .await?;
    let totals: Vec<_> = labels::summary(lang)
        .iter()
        .zip(labels::summary_values(&report))
        .map(|(label, value)| context! { label => *label, value => value })
        .collect();
    let previous = report.previous.as_ref().map(|p| {
        let t = &p.totals;
        context! { events => t.events, participations => t.participations, persons => t.persons,
        winners => t.winners, documents => t.documents, from => p.from.clone(), to => p.to.clone() }
    });
    let breakdowns: Vec<_> = report
        .breakdowns
        .iter()
        .filter(|(_, rows)| !rows.is_empty())
        .map(|(name, rows)| {
            let most = rows
                .iter()
                .map(|r| r.figures.participations.max(r.figures.events))
                .max()
                .unwrap_or(1)
                .max(1);
            let rows: Vec<_> = rows
                .iter()
                .map(|r| {
                    let f = &r.figures;
                    context! {
                        label => labels::value(name, &r.key, lang),
                        events => f.events, participations => f.participations,
                        persons => f.persons, winners => f.winners,
                        width => (f.participations.max(f.events) * 100 / most).max(1),
                        winners_width => f.winners * 100 / most,
                    }
                })
                .collect();
            context! { name => *name, title => labels::breakdown(name, lang), rows => rows }
        })
        .collect();
    let chosen = query.period.clone().unwrap_or_default();
    let t = &report.totals;
    ok(
        &req,
        &member.visitor,
        "reports.html",
        context! {
            label => period.label(lang),
            from => report.from.clone(),
            to => report.to.clone(),
            choices => choices(lang, &chosen),
            departments => departments,
            department => query.department.clone().unwrap_or_default(),
            totals => totals,
            now => context! { events => t.events, participations => t.participations, persons => t.persons,
                              winners => t.winners, documents => t.documents },
            previous => previous,
            breakdowns => breakdowns,
            courses => report.courses.clone(),
            paragraph_ru => reports::paragraph(&report, &period, Lang::Ru),
            paragraph_kk => reports::paragraph(&report, &period, Lang::Kk),
            query => req.query_string(),
        },
    )
}

pub async fn file(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
    query: web::Query<PeriodQuery>,
) -> Result<HttpResponse, ApiError> {
    let organizer = member.organizer()?;
    let (lang, _) = page_lang(&req);
    report_file(
        &state,
        organizer.organization_id,
        query.period()?,
        query.department.clone(),
        &path.into_inner(),
        lang,
    )
    .await
}
