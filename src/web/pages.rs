//! Server-rendered public pages: templates and their text catalogue, compiled into the binary.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use minijinja::{context, Environment, Value};

use crate::domain::Award;
use crate::i18n::Lang;
use crate::trust::jwks::Jwks;
use crate::trust::COMPACT_TEXT_EXTRA;

pub struct Pages {
    env: Environment<'static>,
    texts: HashMap<String, HashMap<String, String>>,
    /// The script's data block by language, with the key set it was made for, without the paper's
    /// digest: the largest part of every verification page, and the same on all of them until the
    /// keys change.
    script_data: Mutex<HashMap<Lang, (String, Arc<str>)>>,
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
        Ok(Pages {
            env,
            texts,
            script_data: Mutex::new(HashMap::new()),
        })
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
        let data = Value::from_safe_string(self.script_data(lang, keys, pdf_sha256));
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

    /// What the page's script needs to check a signed record offline, as JSON safe inside a
    /// `<script>` element: the public keys, its texts, the award titles and the paper's digest.
    fn script_data(&self, lang: Lang, keys: &Jwks, pdf_sha256: Option<&str>) -> String {
        let key_set = serde_json::to_string(&keys.keys).unwrap_or_default();
        let cached = self.script_data.lock().ok().and_then(|cache| {
            cache
                .get(&lang)
                .filter(|(made_for, _)| *made_for == key_set)
                .map(|(_, data)| data.clone())
        });
        let common = cached.unwrap_or_else(|| {
            let made: Arc<str> = self.common_script_data(lang, keys).into();
            if let Ok(mut cache) = self.script_data.lock() {
                cache.insert(lang, (key_set, made.clone()));
            }
            made
        });
        let digest = serde_json::to_string(&pdf_sha256).unwrap_or_else(|_| "null".into());
        // `common` is an object: its closing brace makes room for the digest.
        let open = common.strip_suffix('}').unwrap_or(&common);
        format!("{open},\"pdf_sha256\":{}}}", html_safe(&digest))
    }

    fn common_script_data(&self, lang: Lang, keys: &Jwks) -> String {
        let awards: HashMap<String, String> = Award::ALL
            .into_iter()
            .map(|award| (award.record_number().to_string(), award.title(lang)))
            .collect();
        let data = serde_json::json!({
            "keys": &keys.keys,
            "texts": self.texts.get(lang.code()),
            "awards": awards,
            "compact_text_extra": COMPACT_TEXT_EXTRA,
        });
        html_safe(&data.to_string())
    }
}

/// JSON that cannot end its `<script>` element or start markup inside it.
fn html_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trust::jwks::Jwk;

    #[test]
    fn the_script_data_is_the_same_json_from_the_cache_with_each_papers_digest() {
        let pages = Pages::load().unwrap();
        let keys = Jwks { keys: vec![] };
        let first = pages.script_data(Lang::Kk, &keys, Some("ab12"));
        let second = pages.script_data(Lang::Kk, &keys, None);
        let first: serde_json::Value = serde_json::from_str(&first).unwrap();
        let second: serde_json::Value = serde_json::from_str(&second).unwrap();
        assert_eq!(first["pdf_sha256"], "ab12");
        assert_eq!(second["pdf_sha256"], serde_json::Value::Null);
        assert_eq!(first["texts"], second["texts"]);
        assert!(first["texts"].as_object().is_some_and(|t| !t.is_empty()));
        assert!(first["awards"].as_object().is_some_and(|a| a.len() > 5));
        let english = pages.script_data(Lang::En, &keys, None);
        assert_ne!(
            serde_json::from_str::<serde_json::Value>(&english).unwrap()["texts"],
            first["texts"]
        );
    }

    #[test]
    fn new_keys_replace_the_cached_data_block() {
        let pages = Pages::load().unwrap();
        let before = pages.script_data(Lang::Ru, &Jwks { keys: vec![] }, None);
        let key: Jwk = serde_json::from_value(serde_json::json!({
            "kty": "OKP", "crv": "Ed25519", "x": "AAAA", "kid": "k2", "use": "sig", "alg": "EdDSA",
            "status": "active"
        }))
        .unwrap();
        let after = pages.script_data(Lang::Ru, &Jwks { keys: vec![key] }, None);
        let after: serde_json::Value = serde_json::from_str(&after).unwrap();
        let before: serde_json::Value = serde_json::from_str(&before).unwrap();
        assert_eq!(before["keys"].as_array().map(Vec::len), Some(0));
        assert_eq!(after["keys"][0]["kid"], "k2");
        assert_eq!(
            pages.script_data.lock().unwrap().len(),
            1,
            "one block per language"
        );
    }

    #[test]
    fn json_in_a_script_element_cannot_close_it() {
        let safe = html_safe(r#"{"a":"</script><b>&"}"#);
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["a"], "</script><b>&");
    }
}
