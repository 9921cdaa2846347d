//! The OpenAPI document: a snapshot of it whole, every endpoint documented with typed inputs and
//! an answer schema, and the order of refusals it promises (401, then 403, then 415 or 422).

use crate::common::site;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::Value;

/// The document as served, pretty, for review with `cargo insta review` when the API changes.
#[test]
fn the_openapi_document_is_as_reviewed() {
    let doc = jili_web::api::openapi::document();
    insta::assert_snapshot!("openapi", serde_json::to_string_pretty(&doc).unwrap());
}

/// The schema a `$ref` names, or the schema itself.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => {
            let name = r.strip_prefix("#/components/schemas/").expect("a local reference");
            let found = &doc["components"]["schemas"][name];
            assert!(found.is_object(), "{r} resolves");
            found
        }
        None => schema,
    }
}

/// Every `$ref` anywhere in the document names a component.
fn refs_resolve(doc: &Value, at: &Value) {
    match at {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                let name = r.trim_start_matches("#/components/schemas/");
                assert!(doc["components"]["schemas"][name].is_object(), "{r} is defined");
            }
            m.values().for_each(|v| refs_resolve(doc, v));
        }
        Value::Array(a) => a.iter().for_each(|v| refs_resolve(doc, v)),
        _ => {}
    }
}

/// Each endpoint: an answer schema that says something, path parameters typed, query
/// parameters listed, a body schema where the endpoint reads one, refusals in the error shape.
#[test]
fn every_endpoint_is_documented_with_types() {
    let doc = jili_web::api::openapi::document();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["servers"][0]["url"], "/");
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    refs_resolve(&doc, &doc);
    let mut operations = 0;
    for e in jili_web::api::endpoints() {
        let op = &doc["paths"][e.path][e.method];
        assert!(op.is_object(), "{} {} is documented", e.method, e.path);
        operations += 1;
        let status = if e.ok.is_some() { "200" } else { "202" };
        assert!(e.ok.is_some() || e.job, "{} {}: an answer is declared", e.method, e.path);
        let ok = resolve(&doc, &op["responses"][status]["content"]["application/json"]["schema"]);
        let said = ok["type"].is_string() || ok["type"].is_array() || ok["oneOf"].is_array() || ok["allOf"].is_array();
        assert!(said, "{} {}: the answer's schema says what it is: {ok}", e.method, e.path);
        if ok["type"] == "object" {
            assert!(ok["properties"].is_object(), "{} {}: the answer's fields are listed: {ok}", e.method, e.path);
        }
        let error = &op["responses"]["default"]["content"]["application/json"]["schema"]["$ref"];
        assert_eq!(error, "#/components/schemas/Error", "{} {}", e.method, e.path);
        for p in op["parameters"].as_array().into_iter().flatten() {
            let schema = resolve(&doc, &p["schema"]);
            assert!(!schema.as_object().unwrap().is_empty(), "{} {}: {p} has a schema", e.method, e.path);
            if p["in"] == "path" && ["measure", "version", "id"].contains(&p["name"].as_str().unwrap()) {
                assert_eq!(schema["type"], "integer", "{} {}: {p} is a number", e.method, e.path);
            }
        }
        if e.summary.contains('?') {
            assert!(
                op["parameters"].as_array().is_some_and(|ps| ps.iter().any(|p| p["in"] == "query")),
                "{} {}: the query parameters of the summary are parameters",
                e.method,
                e.path
            );
        }
        if e.summary.contains("JSON {") {
            let body = &op["requestBody"]["content"]["application/json"]["schema"];
            assert!(
                resolve(&doc, body)["properties"].is_object(),
                "{} {}: the JSON body is described",
                e.method,
                e.path
            );
        }
    }
    let documented: usize = doc["paths"].as_object().unwrap().values().map(|p| p.as_object().unwrap().len()).sum();
    assert_eq!(documented, operations, "nothing documented that is not an endpoint");
    // Decimal values travel as strings, and the document says so.
    let decimal = &doc["components"]["schemas"]["Decimal"];
    assert_eq!(decimal["type"], "string");
    assert_eq!(decimal["format"], "decimal");
}

fn raw(method: &str, path: &str, token: Option<&str>, content_type: Option<&str>, body: &str) -> Request<Body> {
    let mut r = Request::builder().method(method).uri(path);
    if let Some(t) = token {
        r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    if let Some(c) = content_type {
        r = r.header(header::CONTENT_TYPE, c);
    }
    r.body(Body::from(body.to_string())).unwrap()
}

/// Who may not call an endpoint is told so whatever they sent: not logged in 401, without the
/// permission 403 — before the content type (415) or the body (422) is looked at. A wrong
/// content type is 415 on every endpoint that reads JSON, the login included.
#[tokio::test]
async fn refusals_come_in_order_and_a_wrong_content_type_is_415() {
    let s = site().await;
    let unit = s.api_token("demo-changsha").await;
    let office = s.api_token("demo-office").await;
    for (method, path) in [("POST", "/api/users"), ("POST", "/api/overrides"), ("POST", "/api/plans/3/draft")] {
        let r = s.send(raw(method, path, None, None, "not json")).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{path} public: {}", r.text());
        let r = s.send(raw(method, path, Some(&unit), None, "not json")).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path} unit, no content type: {}", r.text());
        assert_eq!(r.json()["code"], "denied");
        let r = s.send(raw(method, path, Some(&unit), Some("application/json"), "[1,")).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path} unit, bad JSON: {}", r.text());
    }
    for path in ["/api/users", "/api/overrides", "/api/login", "/api/commendations"] {
        let r = s.send(raw("POST", path, Some(&office), None, "{}")).await;
        assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{path} without a content type: {}", r.text());
        assert_eq!(r.json()["code"], "unsupported_media_type");
        let r = s.send(raw("POST", path, Some(&office), Some("text/csv"), "{}")).await;
        assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{path} as CSV: {}", r.text());
        let r = s.send(raw("POST", path, Some(&office), Some("application/json"), "[1,")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{path} broken JSON: {}", r.text());
    }
    let r = s.send(raw("POST", "/api/plans/3/lint", Some(&office), Some("image/png"), "x")).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "a plan as a picture: {}", r.text());
    let r = s.send(raw("POST", "/api/imports", Some(&office), Some("application/json"), "{}")).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "an import that is not multipart: {}", r.text());
}
