//! Downloads are the largest answers the site gives (the data workbook is most of a megabyte)
//! and sending them costs the server in proportion to how many go out. One client address may
//! start [`BURST`] downloads at once and then one every [`EVERY`] (30 a minute: a person
//! downloads a file or two), and receive [`PER_CLIENT`] at a time; the whole site sends
//! [`TOTAL`] at a time. A client past its share waits a moment for its turn or is told to try
//! again (429), so one visitor looping a download cannot slow the pages everyone else reads. A
//! turn is held until the last byte is sent (or the connection closes), not just while the
//! answer is prepared.

use crate::error::WebError;
use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use futures_util::StreamExt;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Downloads one client address receives at once.
pub const PER_CLIENT: usize = 2;
/// Downloads the site sends at once.
pub const TOTAL: usize = 32;
/// How long a download waits for its turn before the answer is "try again".
pub const WAIT: Duration = Duration::from_secs(2);
/// Downloads a client may start at once before the pace applies.
pub const BURST: u32 = 10;
/// The pace: one more download a client may start every this long.
pub const EVERY: Duration = Duration::from_secs(2);
/// Client addresses remembered; beyond it the idle ones are forgotten.
const CLIENTS: usize = 10_000;

/// The turns of downloads in progress.
#[derive(Debug)]
pub struct DownloadGate {
    total: Arc<Semaphore>,
    clients: Mutex<HashMap<String, Client>>,
}

/// One client address: its downloads in progress, and its allowance of downloads to start.
#[derive(Debug)]
struct Client {
    sending: Arc<Semaphore>,
    /// Downloads it may start now, and when the allowance was last topped up.
    allowance: u32,
    since: Instant,
}

impl Client {
    fn new() -> Client {
        Client { sending: Arc::new(Semaphore::new(PER_CLIENT)), allowance: BURST, since: Instant::now() }
    }

    /// Take one from the allowance, topped up at the pace since it was last.
    fn take(&mut self) -> bool {
        let earned = (self.since.elapsed().as_millis() / EVERY.as_millis()) as u32;
        if earned > 0 {
            self.allowance = (self.allowance + earned).min(BURST);
            self.since += EVERY * earned;
        }
        if self.allowance == 0 {
            return false;
        }
        self.allowance -= 1;
        true
    }
}

impl Default for DownloadGate {
    fn default() -> Self {
        DownloadGate { total: Arc::new(Semaphore::new(TOTAL)), clients: Mutex::new(HashMap::new()) }
    }
}

/// A download's turn: held by its body until the body is sent or dropped.
#[derive(Debug)]
pub struct Turn {
    _client: OwnedSemaphorePermit,
    _total: OwnedSemaphorePermit,
}

impl DownloadGate {
    /// Wait (briefly) for `client`'s turn to receive a download.
    pub async fn enter(&self, client: &str) -> Result<Turn, WebError> {
        let mine = self.client(client).ok_or_else(|| busy("下载过于频繁（每个地址每分钟约 30 个文件）"))?;
        let wait = async {
            let mine = mine.acquire_owned().await.ok()?;
            let all = self.total.clone().acquire_owned().await.ok()?;
            Some(Turn { _client: mine, _total: all })
        };
        match tokio::time::timeout(WAIT, wait).await {
            Ok(Some(turn)) => Ok(turn),
            _ => Err(busy(&format!("同一地址同时下载的文件过多（最多 {PER_CLIENT} 个）"))),
        }
    }

    /// The client's semaphore of downloads in progress, when its allowance lets it start one.
    fn client(&self, client: &str) -> Option<Arc<Semaphore>> {
        let Ok(mut clients) = self.clients.lock() else { return Some(Arc::new(Semaphore::new(PER_CLIENT))) };
        if clients.len() >= CLIENTS && !clients.contains_key(client) {
            // Forget the clients with nothing in progress and a full allowance.
            clients.retain(|_, c| Arc::strong_count(&c.sending) > 1 || c.since.elapsed() < EVERY * BURST);
        }
        let c = clients.entry(client.to_string()).or_insert_with(Client::new);
        c.take().then(|| c.sending.clone())
    }
}

fn busy(what: &str) -> WebError {
    let mut e = WebError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_downloads",
        format!("{what}：请稍后再试 / too many downloads from this address, try again shortly"),
    );
    e.retry_after = Some(EVERY.as_secs().max(1));
    e
}

/// A download's answer, made and sent in `client`'s turn: a client past its allowance is
/// refused before anything is looked up for it.
pub async fn in_turn<F>(gate: &DownloadGate, client: &str, answer: F) -> Result<Response, WebError>
where
    F: Future<Output = Result<Response, WebError>>,
{
    let turn = gate.enter(client).await?;
    let response = answer.await?;
    Ok(if response.status() == StatusCode::OK { holding(response, turn) } else { response })
}

/// `response` with its body holding `turn` until the last byte is sent. The length is kept,
/// so browsers still show the download's progress.
pub fn holding(response: Response, turn: Turn) -> Response {
    let (mut parts, body) = response.into_parts();
    let length = axum::body::HttpBody::size_hint(&body).exact();
    let stream = body.into_data_stream().map(move |chunk| {
        let _held = &turn;
        chunk
    });
    if let Some(n) = length
        && !parts.headers.contains_key(header::CONTENT_LENGTH)
    {
        parts.headers.insert(header::CONTENT_LENGTH, HeaderValue::from(n));
    }
    Response::from_parts(parts, Body::from_stream(stream))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_client_starts_a_burst_then_keeps_a_pace() {
        let gate = DownloadGate::default();
        for _ in 0..BURST {
            drop(gate.enter("10.0.0.9").await.unwrap());
        }
        let err = gate.enter("10.0.0.9").await.unwrap_err();
        assert_eq!(err.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(err.message.contains("下载过于频繁"), "{}", err.message);
        assert!(gate.enter("10.0.0.10").await.is_ok(), "others are not held up");
        tokio::time::sleep(EVERY).await;
        assert!(gate.enter("10.0.0.9").await.is_ok(), "the pace gives one more");
    }

    #[tokio::test]
    async fn a_client_gets_its_share_and_then_waits_others_do_not() {
        let gate = DownloadGate::default();
        let a1 = gate.enter("10.0.0.1").await.unwrap();
        let _a2 = gate.enter("10.0.0.1").await.unwrap();
        let started = std::time::Instant::now();
        let err = gate.enter("10.0.0.1").await.unwrap_err();
        assert_eq!(err.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(started.elapsed() >= WAIT);
        // Another address is not held up by the first one's downloads.
        let _b = gate.enter("10.0.0.2").await.unwrap();
        drop(a1);
        assert!(gate.enter("10.0.0.1").await.is_ok());
    }
}
