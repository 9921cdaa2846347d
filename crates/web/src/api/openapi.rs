//! The OpenAPI 3.1 document, built from the same endpoint list as the router: each endpoint's
//! query, body and answer schemas come from the Rust types it declares (utoipa derives), its
//! path parameters from [`path_param`], its refusals from what the endpoint checks.

use super::endpoints;
use super::types::{ApiError, Decimal, JobDoc};
use crate::endpoint::{Endpoint, Schemas, schema_of};
use axum::Json;
use serde_json::{Map, Value, json};

/// `GET /api/openapi.json`.
pub async fn openapi() -> Json<Value> {
    Json(document())
}

/// A path parameter's schema and description, by its name (one meaning per name across the
/// API). An unknown name is a programming error the document test catches.
pub fn path_param(name: &str) -> Option<(Value, &'static str)> {
    Some(match name {
        "measure" => (json!({"type": "integer", "minimum": 1, "maximum": 999, "example": 3}), "措施序号"),
        "version" => (json!({"type": "integer", "format": "int64", "minimum": 1, "example": 1}), "方案版本号"),
        "id" => (json!({"type": "integer", "format": "int64", "minimum": 1, "example": 1}), "编号"),
        "code" | "unit" => (json!({"type": "string", "example": "430100"}), "单位代码（市州、县市区、园区）"),
        "name" => (json!({"type": "string", "minLength": 1, "maxLength": 64, "example": "li.gxt"}), "用户名"),
        _ => return None,
    })
}

/// The document.
pub fn document() -> Value {
    let mut schemas: Schemas = Vec::new();
    let error = to_json(&schema_of::<ApiError>(&mut schemas));
    let _ = schema_of::<Decimal>(&mut schemas);
    let mut paths = Map::new();
    for e in endpoints() {
        let op = operation(&e, &error, &mut schemas);
        let entry = paths.entry(e.path.to_string()).or_insert_with(|| json!({}));
        entry[e.method] = op;
    }
    let mut components = Map::new();
    for (name, schema) in schemas {
        components.entry(name).or_insert_with(|| to_json(&schema));
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "jili 激励 API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "湖南省大抓落实工作激励措施：公开结果、主要指标数据与工作接口。错误均为 {code, message}。\
    登录：POST /api/login 取得令牌，以 Authorization: Bearer 令牌 调用；浏览器会话的写操作须带 X-CSRF-Token。\
    先查登录（401）和权限（403），再查请求内容：内容类型不对一律 415，内容不对 422。\
    十进制数值（主要指标数据、奖励合计）以字符串传递（format: decimal，如 \"1262.99\"），不经二进制浮点数舍入。\
    时间（*_at、at 等字段）一律为协调世界时（UTC），ISO 8601，以 Z 结尾（如 \"2026-11-29T22:32:06Z\"）；网页上显示为北京时间。"
        },
        "servers": [{"url": "/", "description": "本服务器（jili serve）"}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "POST /api/login 返回的令牌"},
                "cookie": {"type": "apiKey", "in": "cookie", "name": crate::auth::SESSION_COOKIE,
                    "description": "浏览器会话；写操作另须 X-CSRF-Token 头"}
            }
        }
    })
}

fn to_json<T: serde::Serialize>(x: &T) -> Value {
    serde_json::to_value(x).unwrap_or(Value::Null)
}

fn operation(e: &Endpoint, error: &Value, schemas: &mut Schemas) -> Value {
    let mut params: Vec<Value> = e
        .path
        .split('/')
        .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|name| {
            let (schema, what) = path_param(name).unwrap_or((json!({"type": "string"}), ""));
            json!({"name": name, "in": "path", "required": true, "description": what, "schema": schema})
        })
        .collect();
    if let Some(query) = e.query {
        params.extend(query().iter().map(to_json));
    }
    let refusal = |what: &str| json!({"description": what, "content": {"application/json": {"schema": error}}});
    let mut responses = Map::new();
    // An endpoint that only starts jobs has no 200.
    if let Some(f) = e.ok {
        let ok = to_json(&f(schemas));
        responses.insert("200".into(), json!({"description": "成功", "content": {"application/json": {"schema": ok}}}));
    }
    if e.job {
        let job = to_json(&schema_of::<JobDoc>(schemas));
        responses.insert(
            "202".into(),
            json!({"description": "已作为后台任务开始：Location 给出 /api/jobs/{id}",
                "headers": {"Location": {"schema": {"type": "string"}, "description": "/api/jobs/{id}"}},
                "content": {"application/json": {"schema": job}}}),
        );
    }
    if e.login {
        responses.insert("401".into(), refusal("未登录或令牌无效"));
        responses.insert("403".into(), refusal("无权限，或浏览器会话缺少 X-CSRF-Token"));
    }
    if e.body.is_some() {
        responses.insert("413".into(), refusal("请求体太大"));
        responses.insert("415".into(), refusal("内容类型不对"));
    }
    responses.insert("default".into(), refusal("错误：404 没有这项，409 冲突，422 内容不对，429/503 稍后再试"));
    let mut op = json!({
        "summary": e.summary,
        "tags": [e.tag],
        "operationId": operation_id(e.method, e.path),
        "responses": responses,
    });
    if !params.is_empty() {
        op["parameters"] = Value::Array(params);
    }
    if let Some(body) = e.body {
        let schema = to_json(&(body.schema)(schemas));
        let content: Map<String, Value> =
            body.types.iter().map(|t| ((*t).to_string(), json!({"schema": schema.clone()}))).collect();
        op["requestBody"] = json!({"required": !body.optional, "content": content});
    }
    if e.login {
        op["security"] = json!([{"bearer": []}, {"cookie": []}]);
    } else {
        // Public, and more with a login (a unit's own results, drafts for their authors).
        op["security"] = json!([{}, {"bearer": []}, {"cookie": []}]);
    }
    op
}

fn operation_id(method: &str, path: &str) -> String {
    let mut id = method.to_string();
    for seg in path.split('/').filter(|s| !s.is_empty() && *s != "api") {
        id.push('_');
        id.push_str(seg.trim_matches(|c| c == '{' || c == '}'));
    }
    id.replace(['-', '.'], "_")
}
