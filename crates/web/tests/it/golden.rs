//! Golden answers of the public API on the demo: what an integrator's client reads without
//! logging in. A change in a field, a figure or a word shows here as a diff to review and accept
//! (`cargo insta review`). Times and the digests that cover them differ on every build of the
//! demo, so they are replaced by placeholders first.

use crate::common::site;
use axum::http::StatusCode;
use serde_json::Value;

/// Whether a key's value is a moment, or a digest over content that includes one.
fn volatile(key: &str) -> bool {
    key == "at" || key.ends_with("_at") || key.contains("sha256") || key == "audit_head" || key == "etag"
}

fn stable(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, x) in map.iter_mut() {
                if volatile(k) && !x.is_null() {
                    *x = Value::String(format!("<{k}>"));
                } else {
                    stable(x);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(stable),
        _ => {}
    }
}

#[tokio::test]
async fn the_public_api_answers_as_recorded() {
    let s = site().await;
    for (name, path) in [
        ("programme", "/api/programme"),
        ("measure_03", "/api/measures/3"),
        ("measure_16", "/api/measures/16"),
        ("unit_430100", "/api/units/430100"),
        ("releases", "/api/releases"),
    ] {
        let r = s.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text());
        let mut json = r.json();
        stable(&mut json);
        insta::assert_snapshot!(name, serde_json::to_string_pretty(&json).unwrap());
    }
}
