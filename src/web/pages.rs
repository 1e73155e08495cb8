//! Server-rendered public pages: templates and their text catalogue, compiled into the binary.

use std::collections::HashMap;

use minijinja::{context, Environment, Value};

use crate::i18n::Lang;

pub struct Pages {
    env: Environment<'static>,
    texts: HashMap<String, HashMap<String, String>>,
}

const LANGUAGE_LABELS: [(&str, &str); 3] = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")];

impl Pages {
    pub fn load() -> Result<Pages, String> {
        let mut env = Environment::new();
        for (name, source) in [
            ("base.html", include_str!("../../templates/pages/base.html")),
            ("verify.html", include_str!("../../templates/pages/verify.html")),
            (
                "not_found.html",
                include_str!("../../templates/pages/not_found.html"),
            ),
        ] {
            env.add_template(name, source).map_err(|e| e.to_string())?;
        }
        let texts: HashMap<String, HashMap<String, String>> =
            toml::from_str(include_str!("../../templates/i18n/pages.toml")).map_err(|e| e.to_string())?;
        for lang in Lang::ALL {
            if !texts.contains_key(lang.code()) {
                return Err(format!("pages.toml has no [{}] table", lang.code()));
            }
        }
        Ok(Pages { env, texts })
    }

    /// Renders a page in a language; `extra` adds the page's own values.
    pub fn render(&self, name: &str, lang: Lang, extra: Value) -> Result<String, minijinja::Error> {
        let languages: Vec<Value> = LANGUAGE_LABELS
            .iter()
            .map(|(code, label)| context! { code => *code, label => *label })
            .collect();
        let base = context! {
            lang => lang.code(),
            t => self.texts.get(lang.code()),
            languages => languages,
        };
        self.env.get_template(name)?.render(context! { ..base, ..extra })
    }
}
