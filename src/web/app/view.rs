//! The application's pages: templates under `templates/pages/app/` and their texts in
//! `templates/i18n/app.toml`, compiled into the binary. The language is chosen with `?lang=`,
//! remembered in a cookie, else taken from the browser.

use std::collections::HashMap;

use actix_web::cookie::Cookie;
use actix_web::http::{header, StatusCode};
use actix_web::{HttpRequest, HttpResponse};
use minijinja::{context, Environment, Value};

use super::session::Visitor;
use crate::i18n::Lang;
use crate::web::ApiError;

pub const LANG_COOKIE: &str = "gramota_lang";
const LANGUAGE_LABELS: [(&str, &str); 3] = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")];

macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        [$(($name, include_str!(concat!("../../../templates/pages/app/", $name)))),*]
    };
}

pub struct AppPages {
    env: Environment<'static>,
    texts: HashMap<String, HashMap<String, String>>,
}

impl AppPages {
    pub fn load() -> Result<AppPages, String> {
        let mut env = Environment::new();
        for (name, source) in templates!(
            "layout.html",
            "login.html",
            "invite.html",
            "setup.html",
            "organization.html",
            "audit.html",
            "password.html",
            "forgot.html",
            "reset.html",
            "reports.html",
            "persons.html",
            "person.html",
            "design_editor.html",
            "people.html",
            "tokens.html",
            "competitions.html",
            "competition_new.html",
            "competition.html",
            "designs.html",
            "design.html",
            "preview.html",
            "job.html",
            "documents.html",
            "competition_downloads.html",
            "competition_mail.html",
            "bundles.html",
            "deliveries.html",
            "papers.html",
            "stages.html",
            "stage_invite.html",
            "stage_preview.html",
            "jury_list.html",
            "jury_entries.html",
            "jury_entry.html",
            "jury_review.html",
            "find.html",
            "portal_organization.html",
            "portal_competition.html",
            "portal_apply.html",
            "portal_results.html",
            "call.html",
            "applications.html",
            "application.html",
            "error.html",
        ) {
            env.add_template(name, source)
                .map_err(|e| format!("{name}: {e}"))?;
        }
        let texts = catalogue(include_str!("../../../templates/i18n/app.toml"))?;
        let reference = texts.get("ru").ok_or("app.toml has no [ru] table")?;
        for lang in Lang::ALL {
            let table = texts
                .get(lang.code())
                .ok_or_else(|| format!("app.toml has no [{}] table", lang.code()))?;
            if let Some(missing) = reference.keys().find(|k| !table.contains_key(*k)) {
                return Err(format!("app.toml [{}] lacks {missing}", lang.code()));
            }
        }
        Ok(AppPages { env, texts })
    }

    pub fn text(&self, lang: Lang, key: &str) -> String {
        self.texts
            .get(lang.code())
            .and_then(|t| t.get(key))
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    fn render(&self, name: &str, context: Value) -> Result<String, minijinja::Error> {
        self.env.get_template(name)?.render(context)
    }
}

/// A section of the catalogue: a language's texts (`[kk]`), or a block of texts added later for
/// every language (`[block.kk]`, `[block.ru]`, …), which can then sit at the end of the file.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Section {
    Texts(HashMap<String, String>),
    Block(HashMap<String, HashMap<String, String>>),
}

/// The texts by language, blocks merged into their languages; a key given twice is refused.
fn catalogue(source: &str) -> Result<HashMap<String, HashMap<String, String>>, String> {
    let sections: HashMap<String, Section> = toml::from_str(source).map_err(|e| e.to_string())?;
    let mut texts: HashMap<String, HashMap<String, String>> = HashMap::new();
    let mut add = |lang: String, table: HashMap<String, String>| {
        let into = texts.entry(lang.clone()).or_default();
        for (key, text) in table {
            if into.insert(key.clone(), text).is_some() {
                return Err(format!("app.toml gives {key} twice for [{lang}]"));
            }
        }
        Ok(())
    };
    for (name, section) in sections {
        match section {
            Section::Texts(table) => add(name, table)?,
            Section::Block(languages) => {
                for (lang, table) in languages {
                    add(lang, table)?;
                }
            }
        }
    }
    Ok(texts)
}

/// `?lang=` (and it is remembered), then the remembered choice, then the browser's, then Russian.
pub fn page_lang(req: &HttpRequest) -> (Lang, bool) {
    page_lang_for(req, None)
}

/// As [`page_lang`], with the signed-in person's own choice (`account`) before the browser's: it
/// follows them to a browser that has remembered nothing.
fn page_lang_for(req: &HttpRequest, account: Option<Lang>) -> (Lang, bool) {
    let from_query = req
        .query_string()
        .split('&')
        .find_map(|pair| pair.strip_prefix("lang="))
        .and_then(Lang::parse);
    if let Some(lang) = from_query {
        return (lang, true);
    }
    let remembered = req.cookie(LANG_COOKIE).and_then(|c| Lang::parse(c.value()));
    let lang = remembered
        .or(account)
        .or_else(|| {
            req.headers()
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or_default();
    (lang, false)
}

/// Renders a page for a visitor: the layout's values (language, texts, who is signed in, the CSRF
/// token) plus the page's own.
pub fn page(
    req: &HttpRequest,
    visitor: &Visitor,
    status: StatusCode,
    name: &str,
    extra: Value,
) -> Result<HttpResponse, ApiError> {
    let state = req
        .app_data::<actix_web::web::Data<crate::web::AppState>>()
        .ok_or_else(|| ApiError::internal("no application state"))?;
    let (lang, chosen) = page_lang_for(req, visitor.user.as_ref().and_then(|u| u.language));
    let html = render_in(&state.app_pages, req, lang, visitor, name, extra)
        .map_err(|e| ApiError::internal(format!("template {name}: {e:#}")))?;
    let mut response = HttpResponse::build(status);
    response
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header(("Referrer-Policy", "same-origin"))
        .insert_header(("X-Frame-Options", "DENY"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ));
    if chosen {
        response.cookie(lang_cookie(lang));
    }
    if let Some(cookie) = &visitor.new_cookie {
        response.cookie(cookie.clone());
    }
    Ok(response.body(html))
}

/// The cookie that remembers the pages' language in this browser.
pub fn lang_cookie(lang: Lang) -> Cookie<'static> {
    Cookie::build(LANG_COOKIE, lang.code())
        .path("/")
        .same_site(actix_web::cookie::SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::days(365))
        .finish()
}

/// A form's page shown again because of what was sent: `error` names the text in the catalogue.
pub fn again(
    req: &HttpRequest,
    visitor: &Visitor,
    status: StatusCode,
    name: &str,
    error: &str,
    extra: Value,
) -> Result<HttpResponse, ApiError> {
    page(req, visitor, status, name, context! { error => error, ..extra })
}

pub fn ok(req: &HttpRequest, visitor: &Visitor, name: &str, extra: Value) -> Result<HttpResponse, ApiError> {
    page(req, visitor, StatusCode::OK, name, extra)
}

fn render_in(
    pages: &AppPages,
    req: &HttpRequest,
    lang: Lang,
    visitor: &Visitor,
    name: &str,
    extra: Value,
) -> Result<String, minijinja::Error> {
    let path = req.path();
    let languages: Vec<Value> = LANGUAGE_LABELS
        .iter()
        .map(|(code, label)| context! { code => *code, label => *label, href => format!("{path}?lang={code}") })
        .collect();
    let user = visitor.user.as_ref().map(|u| {
        context! {
            name => u.name.clone(),
            email => u.email.clone(),
            role => u.role.as_str(),
            organizer => u.role.runs_competitions(),
            admin => u.role == crate::domain::account::Role::Admin,
        }
    });
    let base = context! {
        lang => lang.code(),
        t => pages.texts.get(lang.code()),
        languages => languages,
        user => user,
        csrf => visitor.csrf.clone(),
        path => path,
    };
    pages.render(name, context! { ..base, ..extra })
}

/// An error as a page, with the status and headers (Retry-After, Location) the plain answer has.
pub fn error_page(req: &HttpRequest, error: &ApiError, plain: HttpResponse) -> HttpResponse {
    let Some(state) = req.app_data::<actix_web::web::Data<crate::web::AppState>>() else {
        return plain;
    };
    if plain.status().is_redirection() {
        return plain;
    }
    let (lang, _) = page_lang(req);
    let visitor = Visitor {
        user: None,
        csrf: String::new(),
        new_cookie: None,
        session: None,
    };
    let message = error.message_in(lang);
    let extra = context! { message => message, status => plain.status().as_u16() };
    match render_in(&state.app_pages, req, lang, &visitor, "error.html", extra) {
        Ok(html) => {
            let mut response = HttpResponse::build(plain.status());
            for (name, value) in plain.headers() {
                if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
                    response.insert_header((name.clone(), value.clone()));
                }
            }
            response
                .content_type("text/html; charset=utf-8")
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .body(html)
        }
        Err(_) => plain,
    }
}

#[cfg(test)]
mod tests {
    use super::catalogue;

    #[test]
    fn a_block_at_the_end_joins_its_languages_and_a_key_twice_is_refused() {
        let texts =
            catalogue("[ru]\na = \"А\"\n[kk]\na = \"Ә\"\n[more.ru]\nb = \"Б\"\n[more.kk]\nb = \"Ғ\"\n")
                .unwrap();
        assert_eq!(texts["ru"]["b"], "Б");
        assert_eq!(texts["kk"]["a"], "Ә");
        assert_eq!(texts["kk"].len(), 2);
        let twice = catalogue("[ru]\na = \"А\"\n[more.ru]\na = \"Б\"\n").unwrap_err();
        assert!(twice.contains("a twice"), "{twice}");
    }

    #[test]
    fn the_application_catalogue_loads() {
        let pages = super::AppPages::load().unwrap();
        assert_eq!(pages.text(crate::i18n::Lang::Kk, "mail_state_sent"), "жіберілді");
    }
}
