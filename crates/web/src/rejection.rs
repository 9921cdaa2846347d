//! Requests that axum's extractors refuse before a handler runs (a measure number that is not a
//! number, a query that does not parse, a body that is not JSON, a body too large) get a plain
//! English text from axum. This layer answers them as every other error: JSON `{code, message}`
//! under `/api/`, a Chinese page elsewhere.

use crate::error::WebError;
use axum::body::to_bytes;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// What the refusal means for the user, from axum's status and text.
fn explain(status: StatusCode, text: &str) -> (&'static str, String) {
    let (code, what) = match status {
        StatusCode::PAYLOAD_TOO_LARGE => ("too_large", "上传的内容太大：请拆分文件后再上传"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            ("unsupported_media_type", "请求的内容类型不对：接口请以 JSON 发送（Content-Type: application/json）")
        }
        _ if text.starts_with("Invalid URL") => {
            ("invalid", "地址中的参数不正确：措施用数字（如 3），单位用 6 位代码（如 430100）")
        }
        _ if text.contains("query string") => ("invalid", "地址中的查询参数不正确：请检查 ? 之后的内容"),
        _ if text.contains("JSON") => ("invalid", "JSON 内容不正确：请检查字段名称和数值格式"),
        _ if text.contains("multipart") || text.contains("Multipart") => {
            ("invalid", "上传的表单不完整：请重新选择文件后提交")
        }
        _ if text.contains("Form") || text.contains("form") => {
            ("invalid", "表单内容不完整或格式不对：请刷新页面后重新填写")
        }
        _ => ("invalid", "请求格式不正确"),
    };
    (code, format!("{what}（{}）", text.trim()))
}

/// Turn axum's plain-text refusals into the site's errors.
pub async fn plain_errors(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let status = response.status();
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/plain"));
    let refused = matches!(
        status,
        StatusCode::BAD_REQUEST
            | StatusCode::PAYLOAD_TOO_LARGE
            | StatusCode::UNSUPPORTED_MEDIA_TYPE
            | StatusCode::UNPROCESSABLE_ENTITY
    );
    if !(plain && refused) {
        return response;
    }
    let text = to_bytes(response.into_body(), 64 * 1024).await.unwrap_or_default();
    let (code, message) = explain(status, &String::from_utf8_lossy(&text));
    let error = WebError::new(status, code, message);
    if api { error.as_json().into_response() } else { error.into_response() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axum_refusals_are_explained_in_chinese() {
        let (code, m) = explain(StatusCode::BAD_REQUEST, "Invalid URL: Cannot parse `abc` to a `u32`");
        assert_eq!(code, "invalid");
        assert!(m.starts_with("地址中的参数不正确") && m.contains("abc"), "{m}");
        let (code, m) =
            explain(StatusCode::UNSUPPORTED_MEDIA_TYPE, "Expected request with `Content-Type: application/json`");
        assert_eq!(code, "unsupported_media_type");
        assert!(m.contains("JSON"));
        assert_eq!(explain(StatusCode::PAYLOAD_TOO_LARGE, "").0, "too_large");
    }
}
