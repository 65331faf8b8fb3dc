//! Long-running operations as a state machine: [`Poller`] sends the initial request, polls,
//! sleeps between polls (honouring `Retry-After`, never less than `min_poll_delay`, never past
//! `max_poll_wait`), refuses status monitors and results on another origin unless allowed, and can
//! be resumed from a token. Which URL to poll and what a response means are the Azure rules of
//! `lro_rules`.

use std::time::{Duration, Instant};

use reqwest::Url;

use crate::exchange::Exchange;
use crate::lro_rules::{initial_transition, poll_transition, Polling, Transition};
use crate::redact::redact;
use crate::request::Prepared;
use crate::retry::parse_retry_after;
use crate::{resume, BoxFuture, Error, ErrorKind, FinalStateVia, RawResponse, RequestBuilder, Response, Result};

/// The state of a long-running operation after a poll.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PollStatus {
    /// Still running; poll again after [`Poller::next_poll_delay`].
    InProgress,
    /// Done; [`Poller::wait`] returns the result without further waiting.
    Succeeded,
    /// Failed; [`Poller::wait`] returns the error with the service's error body.
    Failed,
    /// Canceled; [`Poller::wait`] returns an error.
    Canceled,
}

/// A long-running operation, driven step by step with [`poll`](Poller::poll) or to its end
/// with [`wait`](Poller::wait) / `.await`. The initial request is sent on the first poll.
#[must_use = "a Poller does nothing until it is polled or awaited"]
pub struct Poller<T> {
    core: LroCore,
    decode: fn(RawResponse) -> Result<T>,
}

impl<T> Poller<T> {
    pub(crate) fn from_core(core: LroCore, decode: fn(RawResponse) -> Result<T>) -> Self {
        Poller { core, decode }
    }

    /// Sends the initial request, or checks the operation's status once; does not sleep.
    ///
    /// Request failures are returned as errors (the poller may be polled again);
    /// `Failed`/`Canceled` are returned as statuses and their error by [`wait`](Poller::wait).
    /// Once `max_poll_wait` has passed since the first poll (time between polls included), a poll
    /// sends nothing and returns an [`ErrorKind::Lro`] error.
    pub async fn poll(&mut self) -> Result<PollStatus> {
        self.core.poll().await
    }

    /// How long to wait before the next poll: the last `Retry-After`, else the poll interval; at
    /// least `min_poll_delay`, and never past what remains of `max_poll_wait`.
    pub fn next_poll_delay(&self) -> Duration {
        self.core.next_poll_delay()
    }

    /// The last status text the service reported (e.g. `Running`), if any.
    pub fn last_status(&self) -> Option<&str> {
        self.core.last_status.as_deref()
    }

    /// A token to resume polling later with `Call::resume_poller`; `None` before the
    /// initial response and after the end.
    pub fn resume_token(&self) -> Option<String> {
        match &self.core.state {
            State::Polling(polling) => Some(resume::token(polling)),
            _ => None,
        }
    }

    /// Polls to a terminal state, sleeping between polls (bounded by `max_poll_wait`), and
    /// returns the final result.
    pub async fn wait(mut self) -> Result<T> {
        let raw = self.core.finish().await?;
        (self.decode)(raw)
    }

    /// Like [`wait`](Poller::wait), keeping the final response's status, headers and ETag.
    pub async fn wait_response(mut self) -> Result<Response<T>> {
        let raw = self.core.finish().await?;
        let head = raw.head(());
        let body = (self.decode)(raw)?;
        Ok(head.with_body(body))
    }
}

impl<T: Send + 'static> std::future::IntoFuture for Poller<T> {
    type Output = Result<T>;
    type IntoFuture = BoxFuture<'static, Result<T>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.wait())
    }
}

impl<T> std::fmt::Debug for Poller<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Poller").field("last_status", &self.core.last_status).finish_non_exhaustive()
    }
}

/// The non-generic state machine behind [`Poller`]: sends, waits and keeps state; what each
/// response means is decided by `lro_rules`.
pub(crate) struct LroCore {
    exchange: Exchange,
    /// `None`: not a long-running operation, the first response is the result.
    via: Option<FinalStateVia>,
    state: State,
    /// Time spent in requests and sleeps, for `max_poll_wait` (fake sleeps count too).
    spent: Duration,
    /// When the last poll ended, while the time since is not in `spent` yet: a caller driving the
    /// poller by hand waits between polls on its own, and that time counts too.
    idle_since: Option<Instant>,
    retry_after: Option<Duration>,
    last_status: Option<String>,
    last_http_status: Option<u16>,
}

enum State {
    Start(Prepared),
    Polling(Polling),
    Succeeded(RawResponse),
    Failed(PollStatus, Error),
    /// The request could not be built, or the result was taken.
    Broken(Option<Error>),
}

impl LroCore {
    /// An operation that starts by sending `request`.
    pub(crate) fn new(exchange: Exchange, request: RequestBuilder, via: Option<FinalStateVia>) -> Self {
        let state = match request.prepare() {
            Ok(prepared) => State::Start(prepared),
            Err(error) => State::Broken(Some(error)),
        };
        LroCore::with_state(exchange, state, via)
    }

    /// An operation polled on from a resume token.
    pub(crate) fn resume(exchange: Exchange, token: &str, via: Option<FinalStateVia>) -> Result<Self> {
        Ok(LroCore::with_state(exchange, State::Polling(resume::parse(token)?), via))
    }

    fn with_state(exchange: Exchange, state: State, via: Option<FinalStateVia>) -> Self {
        LroCore {
            exchange,
            via,
            state,
            spent: Duration::ZERO,
            idle_since: None,
            retry_after: None,
            last_status: None,
            last_http_status: None,
        }
    }

    /// The delay the service asks for (else the poll interval), at least the minimum.
    fn wanted_delay(&self) -> Duration {
        let pipeline = &self.exchange.pipeline;
        self.retry_after.unwrap_or_else(|| pipeline.poll_interval()).max(pipeline.min_poll_delay())
    }

    fn next_poll_delay(&self) -> Duration {
        let spent = self.spent + self.idle_since.map_or(Duration::ZERO, |since| since.elapsed());
        self.wanted_delay().min(self.exchange.pipeline.max_poll_wait().saturating_sub(spent))
    }

    /// The error of an operation that did not finish within `max_poll_wait`.
    fn timed_out(&self) -> Error {
        let limit = self.exchange.pipeline.max_poll_wait();
        let status = self.last_status.clone().unwrap_or_else(|| "InProgress".to_string());
        let error = Error::new(ErrorKind::Lro, format!("did not finish within {limit:?}; last status {status}"))
            .with_lro_status(status);
        match self.last_http_status {
            Some(http) => error.with_status(http),
            None => error,
        }
    }

    /// One step; the state only changes once a step has completed, so a dropped
    /// (cancelled) poll leaves the poller where it was.
    pub(crate) async fn poll(&mut self) -> Result<PollStatus> {
        if let Some(since) = self.idle_since.take() {
            self.spent += since.elapsed();
        }
        if matches!(self.state, State::Polling(_)) && self.spent >= self.exchange.pipeline.max_poll_wait() {
            return Err(self.timed_out());
        }
        let started = Instant::now();
        let step = match &self.state {
            State::Succeeded(_) => return Ok(PollStatus::Succeeded),
            State::Failed(status, _) => return Ok(*status),
            State::Broken(_) => return Err(ended(std::mem::replace(&mut self.state, State::Broken(None)))),
            State::Start(request) => {
                let request = request.clone();
                self.start(&request).await
            }
            State::Polling(polling) => {
                let polling = polling.clone();
                self.step(&polling).await
            }
        };
        // The result of a status monitor is fetched in the same step.
        let result = match step {
            Ok(Transition::Fetch(url)) => {
                self.get(&url).await.map(|raw| (State::Succeeded(raw), PollStatus::Succeeded))
            }
            Ok(Transition::Continue(polling)) => Ok((State::Polling(polling), PollStatus::InProgress)),
            Ok(Transition::Done(raw)) => Ok((State::Succeeded(raw), PollStatus::Succeeded)),
            Ok(Transition::Failed(status, error)) => Ok((State::Failed(status, error), status)),
            Err(error) => Err(error),
        };
        self.spent += started.elapsed();
        self.idle_since = Some(Instant::now());
        // A failed request leaves the operation where it was; polling may be retried.
        let (state, status) = result?;
        self.state = state;
        Ok(status)
    }

    /// Polls to the end; the final response, or the operation's error.
    pub(crate) async fn finish(&mut self) -> Result<RawResponse> {
        loop {
            if self.poll().await? != PollStatus::InProgress {
                break;
            }
            // A delay the service asks for that would end past the limit is not waited out.
            let delay = self.wanted_delay();
            if self.spent.saturating_add(delay) > self.exchange.pipeline.max_poll_wait() {
                return Err(self.timed_out());
            }
            // This wait is counted as `delay` (a fake sleep takes no time).
            self.idle_since = None;
            self.exchange.pipeline.sleep(delay).await;
            self.spent += delay;
        }
        match std::mem::replace(&mut self.state, State::Broken(None)) {
            State::Succeeded(raw) => Ok(raw),
            State::Failed(_, error) => Err(error),
            other => Err(ended(other)),
        }
    }

    /// Remembers `Retry-After` and the status code of `raw`.
    fn seen(&mut self, raw: &RawResponse) {
        self.retry_after = parse_retry_after(raw.headers(), time::OffsetDateTime::now_utc());
        self.last_http_status = Some(raw.status());
    }

    /// A GET the runtime makes itself (status monitor, resource, result): any 2xx is fine. Only on
    /// the endpoint's origin, unless `cross_origin_polling` allows any.
    async fn get(&mut self, url: &Url) -> Result<RawResponse> {
        if !self.exchange.pipeline.may_poll(url) {
            let message = format!(
                "the service named {} for its status or result, another origin than the endpoint's \
                 (ClientOptions::cross_origin_polling allows it)",
                redact(url.as_str())
            );
            return Err(Error::new(ErrorKind::CrossOrigin, message));
        }
        let request = Prepared::get(url.clone());
        let mut raw = self.exchange.send_any_2xx(&request).await?;
        self.exchange.answered(&mut raw, &request);
        self.seen(&raw);
        self.exchange.check_2xx(&raw)?;
        Ok(raw)
    }

    async fn start(&mut self, request: &Prepared) -> Result<Transition> {
        let mut raw = self.exchange.send(request).await?;
        self.exchange.answered(&mut raw, request);
        self.seen(&raw);
        self.exchange.check(&raw)?;
        if self.via.is_none() {
            return Ok(Transition::Done(raw));
        }
        let decode_error = self.exchange.decode_error;
        let (transition, status_text) = initial_transition(&request.method, &request.url, raw, decode_error)?;
        self.last_status = status_text;
        Ok(transition)
    }

    async fn step(&mut self, polling: &Polling) -> Result<Transition> {
        let raw = self.get(polling.poll_url()).await?;
        let via = self.via.unwrap_or(FinalStateVia::Default);
        let (transition, status_text) = poll_transition(polling, raw, via, self.exchange.decode_error)?;
        if status_text.is_some() {
            self.last_status = status_text;
        }
        Ok(transition)
    }
}

/// The error of a poller that cannot go on: why it could not start, or that it has ended.
fn ended(state: State) -> Error {
    match state {
        State::Broken(Some(error)) => error,
        _ => Error::not_built("the long-running operation has already ended"),
    }
}
