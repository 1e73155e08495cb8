//! The API description: every route the service registers under `/api/v1` (read from the app's
//! route configuration in `src/web/mod.rs`) is described in `/api/v1/openapi.json`, and
//! `/api/docs` draws the description in a real Chromium from the service's own files.

use std::path::Path;

use crate::helpers::{browser_script, TestApp};

/// (method, path) of every route registered in the `/api/v1` scope, as the configuration says it.
fn registered_api_routes() -> Vec<(String, String)> {
    let source =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/web/mod.rs")).unwrap();
    let start = source.find("web::scope(\"/api/v1\")").expect("the /api/v1 scope");
    let scope = &source[start..];
    let scope = &scope[..scope.find("\n}\n").unwrap_or(scope.len())];
    let mut routes = Vec::new();
    let mut rest = scope;
    while let Some(at) = rest.find(".route(") {
        rest = &rest[at + 7..];
        let call = &rest[..rest.find(".to(").expect("a handler")];
        let path = call.split('"').nth(1).expect("a path").to_string();
        let method = call
            .split("web::")
            .nth(1)
            .and_then(|m| m.split('(').next())
            .expect("a method")
            .to_string();
        routes.push((method, format!("/api/v1{path}")));
    }
    routes
}

/// Whether a described path is the route: a `{parameter}` of the route stands for any segment
/// text (`results.{format}` is described as `results.csv` and `results.xlsx`).
fn describes(described: &str, route: &str) -> bool {
    let (d, r): (Vec<&str>, Vec<&str>) = (described.split('/').collect(), route.split('/').collect());
    d.len() == r.len()
        && d.iter().zip(&r).all(|(d, r)| match r.find('{') {
            None => d == r,
            Some(open) => {
                let close = r.rfind('}').unwrap();
                d.starts_with(&r[..open])
                    && d.ends_with(&r[close + 1..])
                    && d.len() > open + r.len() - close - 1
            }
        })
}

#[test]
fn every_api_route_is_in_the_description() {
    let app = TestApp::spawn();
    let description = app.get("/api/v1/openapi.json", None).json();
    let paths = description["paths"].as_object().expect("paths");
    let routes = registered_api_routes();
    assert!(routes.len() > 50, "the routes were read: {routes:?}");
    let missing: Vec<String> = routes
        .iter()
        .filter(|(method, route)| {
            !paths
                .iter()
                .any(|(path, operations)| describes(path, route) && operations.get(method.as_str()).is_some())
        })
        .map(|(method, route)| format!("{method} {route}"))
        .collect();
    assert!(missing.is_empty(), "not in templates/openapi.json: {missing:#?}");

    assert!(describes(
        "/api/v1/competitions/{id}/results.csv",
        "/api/v1/competitions/{id}/results.{format}"
    ));
    assert!(!describes(
        "/api/v1/competitions/{id}/results",
        "/api/v1/competitions/{id}/results.{format}"
    ));
    assert!(!describes(
        "/api/v1/organization",
        "/api/v1/organization/pictures/{role}"
    ));
}

#[test]
fn the_api_docs_page_draws_the_description_from_the_services_own_files() {
    let app = TestApp::spawn();
    let page = app.get("/api/docs", None);
    assert_eq!(page.status, 200);
    let policy = page.headers.get("content-security-policy").expect("a CSP");
    assert!(
        policy.contains("script-src 'self'") && !policy.contains("script-src 'self' 'unsafe"),
        "{policy}"
    );
    assert!(!page.text().contains("<script>"), "no inline script");
    let licence = app.get("/api/docs/LICENSE.txt", None);
    assert!(licence.text().contains("MIT"));
    browser_script("api_docs.mjs", &[("BASE_URL", &app.address)]);
}
