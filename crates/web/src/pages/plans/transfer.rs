//! TOML in and out of the editor: export a version's file as stored; import a file (pasted
//! or uploaded) as a draft, after the same checks as the editor's 保存草稿 — a file with
//! errors is shown in the editor with its findings and not stored.

use super::editor::{Extras, page, run, stored_form};
use super::form::{Fields, fields};
use super::{measure_no, version_no, year};
use crate::auth::Visitor;
use crate::error::{WebError, WebResult};
use crate::extract::{CheckedForm, LoggedIn};
use axum::extract::{Multipart, Path, Query};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jili_app::plans::plan_form::PlanForm;
use serde::Deserialize;

/// POST `/work/plans/{measure}/import` (field `toml`): a pasted plan file.
pub(super) async fn import(
    v: LoggedIn,
    Path(measure): Path<String>,
    CheckedForm(pairs): CheckedForm<Vec<(String, String)>>,
) -> WebResult<Response> {
    let f: Fields = fields(pairs);
    let text = f.get("toml").cloned().unwrap_or_default();
    import_text(&v, &measure, &text).await
}

/// POST `/work/plans/{measure}/upload` (multipart: `csrf`, `file`): an uploaded plan file.
pub(super) async fn upload(v: LoggedIn, Path(measure): Path<String>, mut parts: Multipart) -> WebResult<Response> {
    let (mut checked, mut text) = (false, None);
    let bad = |e: axum::extract::multipart::MultipartError| WebError::invalid(format!("上传未完成：{e}"));
    while let Some(field) = parts.next_field().await.map_err(bad)? {
        match field.name() {
            // The token comes first in the form: checked before the file is read.
            Some("csrf") => {
                v.check_csrf(&field.text().await.map_err(bad)?)?;
                checked = true;
            }
            _ if !checked => v.check_csrf("")?,
            Some("file") => {
                let bytes = field.bytes().await.map_err(bad)?;
                text = Some(
                    String::from_utf8(Vec::from(bytes))
                        .map_err(|_| WebError::invalid("文件不是 UTF-8 编码的 TOML 文本：请另存为 UTF-8 后重试"))?,
                );
            }
            _ => {}
        }
    }
    if !checked {
        v.check_csrf("")?;
    }
    import_text(&v, &measure, text.as_deref().unwrap_or("")).await
}

async fn import_text(v: &Visitor, measure: &str, text: &str) -> WebResult<Response> {
    let measure = measure_no(measure)?;
    let year = year(v).await?;
    v.app.plan_editor_access(year, measure).await?;
    let error = match PlanForm::from_toml("导入的 TOML", text) {
        Ok(form) if form.measure == measure => return run(v, year, form, "save").await,
        Ok(form) => format!("导入的方案是第 {} 条措施的，这里是第 {measure} 条：未导入", form.measure),
        Err(e) => WebError::from(e).message,
    };
    let current = stored_form(v, year, measure).await?;
    page(v, year, &current, Extras { error, ..Extras::default() }, StatusCode::UNPROCESSABLE_ENTITY).await
}

/// Which version to export (`?version=N`; the newest visible one when absent).
#[derive(Deserialize, Default)]
pub(super) struct Which {
    #[serde(default)]
    version: String,
}

/// GET `/work/plans/{measure}/plan.toml[?version=N]`: a version's file as stored.
pub(super) async fn export(v: LoggedIn, Path(measure): Path<String>, Query(q): Query<Which>) -> WebResult<Response> {
    let measure = measure_no(&measure)?;
    let year = year(&v).await?;
    let version = if q.version.is_empty() { None } else { Some(version_no(&q.version)?) };
    let view = v.app.plan_version(year, measure, version).await?;
    let mut r = view.stored.toml.clone().into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/toml; charset=utf-8"));
    let file = format!("attachment; filename=\"measure-{measure:02}-v{}.toml\"", view.stored.version);
    if let Ok(value) = HeaderValue::from_str(&file) {
        h.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(r)
}
