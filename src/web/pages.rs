//! Server-rendered public pages: templates and their text catalogue, compiled into the binary.

use std::collections::HashMap;

use minijinja::{context, Environment, Value};

use crate::domain::Award;
use crate::i18n::Lang;
use crate::trust::jwks::Jwks;
use crate::trust::COMPACT_TEXT_EXTRA;

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
            ("shell.html", include_str!("../../templates/pages/shell.html")),
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

    /// Renders a page in a language; `extra` adds the page's own values. Every page carries what its
    /// script needs to check a signed record offline: the public keys and its texts.
    pub fn render(
        &self,
        name: &str,
        lang: Lang,
        keys: &Jwks,
        pdf_sha256: Option<&str>,
        extra: Value,
    ) -> Result<String, minijinja::Error> {
        let awards: HashMap<String, String> = [1, 2, 3, 11, 12, 13, 20, 30, 40, 50, 60]
            .into_iter()
            .filter_map(Award::from_record_number)
            .map(|award| (award.record_number().to_string(), award.title(lang)))
            .collect();
        let data = context! {
            keys => &keys.keys,
            texts => self.texts.get(lang.code()),
            awards => awards,
            compact_text_extra => COMPACT_TEXT_EXTRA,
            pdf_sha256 => pdf_sha256,
        };
        let languages: Vec<Value> = LANGUAGE_LABELS
            .iter()
            .map(|(code, label)| context! { code => *code, label => *label })
            .collect();
        let base = context! {
            lang => lang.code(),
            t => self.texts.get(lang.code()),
            languages => languages,
            data => data,
        };
        self.env.get_template(name)?.render(context! { ..base, ..extra })
    }
}
