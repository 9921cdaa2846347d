//! `/notice`: the results notice (通报) of the newest publication as a printable page, and
//! `/notice.docx` in the official layout. Both come from the same `Notice`, so they agree.

use super::cache;
use crate::auth::{ClientAddr, Visitor};
use crate::compress::Encoded;
use crate::downloads::Built;
use crate::error::{WebError, WebResult};
use crate::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use minijinja::context;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/notice", get(page)).route("/notice.docx", get(docx))
}

async fn page(State(state): State<AppState>, v: Visitor, headers: HeaderMap) -> WebResult<Response> {
    cache::page(&state, &v, "/notice", &[], &headers, || async {
        let notice = v.app.notice(None).await?;
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
        v.page("portal/notice.html", context! { notice, columns, commendation_columns, annex, commended, data_release })
    })
    .await
}

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// `GET /notice.docx`: built once per publication (see [`crate::downloads`]).
async fn docx(
    State(state): State<AppState>,
    v: Visitor,
    client: ClientAddr,
    headers: HeaderMap,
) -> WebResult<Response> {
    crate::download_gate::in_turn(&state.0.download_gate, &client.0, async {
        let notice = v.app.notice(None).await?;
        let notice = notice.ok_or_else(|| WebError::not_found("尚未发布评价结果，还没有结果通报"))?;
        let key = (notice.year, notice.version, notice.sha256.clone(), "docx");
        let built = state
            .0
            .downloads
            .get(key, || async {
                let bytes = v.app.notice_file(&notice).await?;
                Ok(Built {
                    body: Encoded::new(bytes, DOCX),
                    content_type: DOCX,
                    name: format!("{}年评价结果通报（第{}版）.docx", notice.year, notice.version),
                    ascii: format!("jili-notice-{}-v{}.docx", notice.year, notice.version),
                    digest: format!(
                        "{}-v{}-{}-docx",
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
