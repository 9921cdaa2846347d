//! What several work pages share: reading a multipart form (an uploaded file and its text
//! fields), answering with a file to download, and the message a page shows after a change.

use crate::auth::Visitor;
use crate::error::{WebError, WebResult};
use axum::extract::Multipart;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;

/// The largest file a provider may upload (a year's workbook of every county is far smaller).
pub const MAX_UPLOAD: usize = 64 * 1024 * 1024;

/// The body limit of the upload routes: the file, or the file carried back as base64 (a third
/// larger) with the form's other fields.
pub const BODY_LIMIT: usize = MAX_UPLOAD / 3 * 4 + 1024 * 1024;

/// A multipart form read whole: its text fields and its file (`file`), if one was chosen.
#[derive(Debug, Default)]
pub struct Fields {
    pub text: HashMap<String, String>,
    /// (file name as the user's computer calls it, bytes).
    pub file: Option<(String, Vec<u8>)>,
}

impl Fields {
    /// A text field, trimmed; empty when absent.
    pub fn get(&self, name: &str) -> &str {
        self.text.get(name).map_or("", |v| v.trim())
    }

    /// A checkbox or yes/no field.
    pub fn flag(&self, name: &str) -> bool {
        matches!(self.get(name), "1" | "on" | "true" | "yes")
    }
}

/// Read every field of a multipart form. Too large a body, or one that is not multipart, is
/// refused with a message that says what to do.
///
/// With `csrf` (a page form, or an API call without the `X-CSRF-Token` header), the session's
/// token must come first: it is checked as soon as it is read, and a form that sends anything
/// before it is refused before the rest of the body (the file) is read. Bearer tokens pass
/// `check_csrf` without one.
pub async fn read(mut form: Multipart, csrf: Option<&Visitor>) -> WebResult<Fields> {
    let mut out = Fields::default();
    let mut checked = csrf.is_none();
    loop {
        let mut field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(multipart_error(&e)),
        };
        let name = field.name().unwrap_or_default().to_string();
        if let Some(v) = csrf.filter(|_| !checked) {
            if name != "csrf" {
                // Something before the token: refused before the file is read.
                v.check_csrf("")?;
            } else {
                v.check_csrf(&field.text().await.map_err(|e| multipart_error(&e))?)?;
                checked = true;
                continue;
            }
            checked = true;
        }
        if name == "file" {
            let file_name = field.file_name().unwrap_or_default().to_string();
            // One copy, chunk by chunk, stopped as soon as it is too large.
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(|e| multipart_error(&e))? {
                if bytes.len() + chunk.len() > MAX_UPLOAD {
                    return Err(too_large());
                }
                bytes.extend_from_slice(&chunk);
            }
            if !bytes.is_empty() || !file_name.is_empty() {
                out.file = Some((file_name, bytes));
            }
        } else {
            let text = field.text().await.map_err(|e| multipart_error(&e))?;
            out.text.insert(name, text);
        }
    }
    if let Some(v) = csrf.filter(|_| !checked) {
        v.check_csrf("")?;
    }
    Ok(out)
}

fn too_large() -> WebError {
    WebError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
        format!("文件太大：最大 {} MB。请按年度或数据项分成几个文件上传", MAX_UPLOAD / 1024 / 1024),
    )
}

fn multipart_error(e: &axum::extract::multipart::MultipartError) -> WebError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return too_large();
    }
    WebError::invalid(format!("上传的表单无法读取（{}）：请刷新页面后重新选择文件上传", e.body_text()))
}

/// A multipart form, or a refusal as the caller wants it (page or JSON).
pub fn multipart_or_refuse(
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> WebResult<Multipart> {
    // Not multipart at all: the content type is wrong (415, as on every endpoint).
    form.map_err(|e| {
        WebError::new(
            axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!("请以 multipart/form-data 上传（字段 file）：{}", e.body_text()),
        )
    })
}

/// A work file to download, named in Chinese for the user's computer (see
/// [`crate::download::attachment_as`]); never kept by a browser or proxy (it can hold
/// unpublished data).
pub fn attachment(bytes: Vec<u8>, content_type: &'static str, ascii_name: &str, name: &str) -> Response {
    let mut r = crate::download::attachment_as(bytes, content_type, name, ascii_name);
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// The XLSX content type.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A page answered with a status other than 200 (a refused form shown again with its message).
pub fn with_status(status: StatusCode, page: crate::render::Page) -> Response {
    (status, page).into_response()
}
