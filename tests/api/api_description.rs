//! The API description: every route the service registers under `/api/v1` (read from the app's
//! route configuration in `src/web/mod.rs`) is described in `/api/v1/openapi.json` (generated
//! from the handlers' `#[utoipa::path]`, see `src/web/openapi.rs`), the description is OpenAPI
//! 3.x in shape, and `/api/docs` draws it in a real Chromium from the service's own files.

use std::path::Path;

use serde_json::Value;

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
    assert!(
        missing.is_empty(),
        "registered but not described (annotate the handler with #[utoipa::path] and list it in \
         src/web/openapi.rs): {missing:#?}"
    );

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

/// Every `$ref` in a part of the description, with where it is.
fn references<'a>(value: &'a Value, at: String, found: &mut Vec<(String, &'a str)>) {
    match value {
        Value::Object(fields) => {
            for (key, inner) in fields {
                match (key.as_str(), inner) {
                    ("$ref", Value::String(target)) => found.push((at.clone(), target)),
                    _ => references(inner, format!("{at}/{key}"), found),
                }
            }
        }
        Value::Array(items) => {
            for (i, inner) in items.iter().enumerate() {
                references(inner, format!("{at}/{i}"), found);
            }
        }
        _ => {}
    }
}

#[test]
fn the_description_is_openapi_3_in_shape() {
    let app = TestApp::spawn();
    let description = app.get("/api/v1/openapi.json", None).json();
    let version = description["openapi"].as_str().expect("an openapi version");
    assert!(version.starts_with("3."), "{version}");
    assert_eq!(description["info"]["title"], "gramota");
    assert!(description["info"]["version"].is_string());

    let paths = description["paths"].as_object().expect("paths");
    assert!(paths.len() > 50, "{} paths", paths.len());
    let methods = [
        "get", "put", "post", "delete", "patch", "head", "options", "trace",
    ];
    let schemes = description["components"]["securitySchemes"]
        .as_object()
        .expect("security schemes");
    let mut operation_ids = std::collections::BTreeSet::new();
    for (path, item) in paths {
        assert!(path.starts_with('/'), "{path}");
        let item = item.as_object().expect("a path item");
        assert!(!item.is_empty(), "{path} has no operation");
        for (method, operation) in item {
            assert!(methods.contains(&method.as_str()), "{method} {path}");
            let id = operation["operationId"].as_str().expect("an operationId");
            assert!(operation_ids.insert(id), "operationId {id} twice");
            let responses = operation["responses"].as_object().expect("responses");
            assert!(!responses.is_empty(), "{method} {path} answers nothing");
            for (status, response) in responses {
                assert!(
                    status.len() == 3 && status.parse::<u16>().is_ok(),
                    "{method} {path} {status}"
                );
                assert!(response["description"].is_string(), "{method} {path} {status}");
            }
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                let place = parameter["in"].as_str().expect("a parameter's place");
                assert!(
                    ["path", "query", "header", "cookie"].contains(&place),
                    "{method} {path}"
                );
                if place == "path" {
                    let name = parameter["name"].as_str().expect("a parameter's name");
                    assert!(path.contains(&format!("{{{name}}}")), "{method} {path}: {name}");
                    assert_eq!(parameter["required"], true, "{method} {path}: {name}");
                }
            }
            for requirement in operation["security"].as_array().into_iter().flatten() {
                for scheme in requirement.as_object().expect("a requirement").keys() {
                    assert!(schemes.contains_key(scheme), "{method} {path}: {scheme}");
                }
            }
        }
    }

    let mut found = Vec::new();
    references(&description, String::from("#"), &mut found);
    assert!(!found.is_empty(), "the description names its schemas");
    for (at, target) in found {
        let name = target
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{at}: {target}"));
        assert!(
            description["components"]["schemas"].get(name).is_some(),
            "{at}: {target} is not a component"
        );
    }
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
