use actix_web::http::header;
use actix_web::HttpRequest;

use crate::i18n::Lang;

/// `?lang=` first, then `Accept-Language`, then the product's default.
pub fn request_lang(req: &HttpRequest) -> Lang {
    let from_query = req
        .query_string()
        .split('&')
        .find_map(|pair| pair.strip_prefix("lang="))
        .and_then(Lang::parse);
    from_query
        .or_else(|| {
            req.headers()
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or_default()
}
