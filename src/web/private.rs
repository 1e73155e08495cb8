//! Answers about a person, often a child (a verification, a paper found or downloaded by link):
//! not kept by caches, not indexed by search engines, not shown under another type than their
//! own, and not named in the Referer of whatever the reader opens next.

use actix_web::http::header;
use actix_web::HttpResponseBuilder;

pub fn private(response: &mut HttpResponseBuilder) -> &mut HttpResponseBuilder {
    response
        .insert_header(("X-Robots-Tag", "noindex, nofollow"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header(("Referrer-Policy", "no-referrer"))
}
