//! The OpenAPI 3.1 document, built from the same endpoint list as the router.

use super::endpoints;
use axum::Json;
use serde_json::{Map, Value, json};

/// `GET /api/openapi.json`.
pub async fn openapi() -> Json<Value> {
    Json(document())
}

/// The document.
pub fn document() -> Value {
    let mut paths = Map::new();
    for e in endpoints() {
        let params: Vec<Value> = e
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
            .collect();
        let mut op = json!({
            "summary": e.summary,
            "tags": [e.tag],
            "operationId": operation_id(e.method, e.path),
            "responses": {
                "200": {"description": "成功", "content": {"application/json": {"schema": {}}}},
                "default": {"description": "错误", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            }
        });
        if !params.is_empty() {
            op["parameters"] = Value::Array(params);
        }
        if e.login {
            op["security"] = json!([{"bearer": []}, {"cookie": []}]);
        }
        let entry = paths.entry(e.path.to_string()).or_insert_with(|| json!({}));
        entry[e.method] = op;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "jili 激励 API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "湖南省大抓落实工作激励措施：公开结果、主要指标数据与工作接口。错误均为 {code, message}。登录：POST /api/login 取得令牌，以 Authorization: Bearer 令牌 调用；浏览器会话的写操作须带 X-CSRF-Token。"
        },
        "paths": paths,
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["code", "message"],
                    "properties": {"code": {"type": "string"}, "message": {"type": "string"}}
                }
            },
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "cookie": {"type": "apiKey", "in": "cookie", "name": crate::auth::SESSION_COOKIE}
            }
        }
    })
}

fn operation_id(method: &str, path: &str) -> String {
    let mut id = method.to_string();
    for seg in path.split('/').filter(|s| !s.is_empty() && *s != "api") {
        id.push('_');
        id.push_str(seg.trim_matches(|c| c == '{' || c == '}'));
    }
    id.replace(['-', '.'], "_")
}
