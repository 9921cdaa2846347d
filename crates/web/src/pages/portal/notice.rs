//! `/notice`: the results notice (通报) of the newest publication as a printable page, and
//! `/notice.docx` in the official layout. Both come from the same `Notice`, so they agree.
//! The annex is the name list the province publishes; `?annex=scores` gives the longer annex
//! with each measure's score table instead.

use super::cache;
use crate::auth::{ClientAddr, Visitor};
use crate::compress::Encoded;
use crate::downloads::Built;
use crate::error::{WebError, WebResult};
use crate::state::AppState;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use jili_app::AnnexForm;
use minijinja::context;
use serde::Deserialize;

/// `?annex=names|scores`: the annex's form (the name list when absent).
#[derive(Debug, Default, Deserialize)]
struct AnnexQuery {
    #[serde(default)]
    annex: Option<String>,
}

impl AnnexQuery {
    fn form(&self) -> Result<AnnexForm, WebError> {
        match self.annex.as_deref() {
            None | Some("") => Ok(AnnexForm::Names),
            Some(word) => AnnexForm::parse(word).ok_or_else(|| {
                WebError::invalid(format!("附件形式“{word}”无效：annex=names（名单，默认）或 annex=scores（附得分表）"))
            }),
        }
    }
}

fn form_word(form: AnnexForm) -> &'static str {
    match form {
        AnnexForm::Names => "names",
        AnnexForm::Scores => "scores",
    }
}

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/notice", get(page)).route("/notice.docx", get(docx))
}

async fn page(
    State(state): State<AppState>,
    v: Visitor,
    Query(q): Query<AnnexQuery>,
    headers: HeaderMap,
) -> WebResult<Response> {
    let form = q.form()?;
    let annex_param = (form == AnnexForm::Scores).then(|| form_word(form).to_string());
    cache::page(&state, &v, "/notice", &[("annex", annex_param)], &headers, || async {
        let notice = v.app.notice_in(None, form).await?;
        let sections = notice.as_ref().map(|n| n.annex.name_sections()).unwrap_or_default();
        let columns = jili_app::publication::publish::notice::COLUMNS;
        let commendation_columns = jili_app::publication::publish::notice::COMMENDATION_COLUMNS;
        let annex: Vec<_> = notice
            .as_ref()
            .map(|n| n.annex.measures.iter().map(|m| m.rows.iter().map(|r| r.cells()).collect::<Vec<_>>()).collect())
            .unwrap_or_default();
        let commended: Vec<_> =
            notice.as_ref().map(|n| n.annex.commendations.iter().map(|c| c.cells()).collect()).unwrap_or_default();
        // The data release the publication rests on (所依据的数据通报), from the same publication.
        let published = match &notice {
            Some(n) => v.app.published(Some(n.year)).await?,
            None => None,
        };
        let data_release = published.and_then(|p| p.body.data_release.clone());
        let scores = form == AnnexForm::Scores;
        v.page(
            "portal/notice.html",
            context! { notice, columns, commendation_columns, annex, commended, data_release, sections, scores },
        )
    })
    .await
}

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// `GET /notice.docx`: built once per publication (see [`crate::downloads`]).
async fn docx(
    State(state): State<AppState>,
    v: Visitor,
    client: ClientAddr,
    Query(q): Query<AnnexQuery>,
    headers: HeaderMap,
) -> WebResult<Response> {
    let form = q.form()?;
    let suffix = match form {
        AnnexForm::Names => "",
        AnnexForm::Scores => "-scores",
    };
    crate::download_gate::in_turn(&state.0.download_gate, &client.0, async {
        let notice = v.app.notice_in(None, form).await?;
        let notice = notice.ok_or_else(|| WebError::not_found("尚未发布评价结果，还没有结果通报"))?;
        let key = (
            notice.year,
            notice.version,
            notice.sha256.clone(),
            if suffix.is_empty() { "docx" } else { "docx-scores" },
        );
        let built = state
            .0
            .downloads
            .get(key, || async {
                let bytes = v.app.notice_file(&notice).await?;
                Ok(Built {
                    body: Encoded::new(bytes, DOCX),
                    content_type: DOCX,
                    name: format!(
                        "{}年评价结果通报（第{}版{}）.docx",
                        notice.year,
                        notice.version,
                        if suffix.is_empty() { "" } else { "，附得分表" }
                    ),
                    ascii: format!("jili-notice-{}-v{}{suffix}.docx", notice.year, notice.version),
                    digest: format!(
                        "{}-v{}-{}-docx{suffix}",
                        notice.year,
                        notice.version,
                        &notice.sha256[..notice.sha256.len().min(16)]
                    ),
                })
            })
            .await?;
        Ok(crate::downloads::respond(&built, &headers))
    })
    .await
}
