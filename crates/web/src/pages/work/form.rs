//! What several work pages share: reading a multipart form (an uploaded file and its text
//! fields), answering with a file to download, and the message a page shows after a change.

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
pub async fn read(mut form: Multipart) -> WebResult<Fields> {
    let mut out = Fields::default();
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(multipart_error(&e)),
        };
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            let file_name = field.file_name().unwrap_or_default().to_string();
            let bytes = field.bytes().await.map_err(|e| multipart_error(&e))?;
            if bytes.len() > MAX_UPLOAD {
                return Err(too_large());
            }
            if !bytes.is_empty() || !file_name.is_empty() {
                out.file = Some((file_name, bytes.to_vec()));
            }
        } else {
            let text = field.text().await.map_err(|e| multipart_error(&e))?;
            out.text.insert(name, text);
        }
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
    form.map_err(|e| WebError::invalid(format!("请以 multipart/form-data 上传（字段 file）：{}", e.body_text())))
}

/// A file to download, named in Chinese for the user's computer (RFC 6266 `filename*`).
pub fn attachment(bytes: Vec<u8>, content_type: &'static str, ascii_name: &str, name: &str) -> Response {
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{encoded}"))
    {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// The XLSX content type.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A page answered with a status other than 200 (a refused form shown again with its message).
pub fn with_status(status: StatusCode, page: crate::render::Page) -> Response {
    (status, page).into_response()
}
