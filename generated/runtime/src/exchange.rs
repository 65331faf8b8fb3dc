//! [`Exchange`]: the settings every request of one operation call is sent with (pipeline, client
//! request id, success statuses, error decoder), shared by a plain call, its pages and its polls;
//! and the parts of a response an [`Error`](crate::Error) keeps.

use std::future::Future;

use crate::error::{ErrorDecoder, Received};
use crate::request::Prepared;
use crate::send::check_status;
use crate::{Pipeline, RawResponse, Result};

/// How one operation call exchanges requests and responses.
#[derive(Clone, Debug)]
pub(crate) struct Exchange {
    pub(crate) pipeline: Pipeline,
    /// Sent as `x-ms-client-request-id` on every request of the call.
    pub(crate) client_request_id: String,
    /// Declared success statuses; empty means any 2xx.
    pub(crate) success: &'static [u16],
    /// Decodes the operation's error model from an error body.
    pub(crate) decode_error: ErrorDecoder,
}

impl Exchange {
    /// Sends `request` (with retries); the response whatever its status, without the request it
    /// answers (see [`answered`](Exchange::answered)). The body of a success (one of the
    /// operation's statuses) is read whole, within the response body limit.
    pub(crate) fn send<'a>(&'a self, request: &'a Prepared) -> impl Future<Output = Result<RawResponse>> + 'a {
        self.pipeline.execute(request, &self.client_request_id, self.success)
    }

    /// Like [`send`](Exchange::send) for requests the runtime makes itself (status monitors,
    /// results of long-running operations): any 2xx is a success.
    pub(crate) fn send_any_2xx<'a>(&'a self, request: &'a Prepared) -> impl Future<Output = Result<RawResponse>> + 'a {
        self.pipeline.execute(request, &self.client_request_id, &[])
    }

    /// Sends `request` and checks the status; a success body is left unread, for a stream.
    pub(crate) async fn send_streamed(&self, request: &Prepared) -> Result<RawResponse> {
        let mut raw = self.pipeline.execute_with(request, &self.client_request_id, self.success, true).await?;
        self.answered(&mut raw, request);
        self.check(&raw)?;
        Ok(raw)
    }

    /// `raw` with the request it answers and the request id sent, for error messages (copies of
    /// them: the exchange and request may be sent again, by a pager or poller).
    pub(crate) fn answered(&self, raw: &mut RawResponse, request: &Prepared) {
        raw.set_request(request.method.clone(), request.url.clone(), self.client_request_id.clone());
    }

    /// Checks `raw` against the operation's success statuses.
    pub(crate) fn check(&self, raw: &RawResponse) -> Result<()> {
        check_status(raw, self.success, self.decode_error)
    }

    /// Checks `raw` against any 2xx: responses of requests the runtime makes itself (status monitors,
    /// results of long-running operations, next pages after one).
    pub(crate) fn check_2xx(&self, raw: &RawResponse) -> Result<()> {
        check_status(raw, &[], self.decode_error)
    }

    /// The same exchange for requests the runtime makes itself: any 2xx is a success.
    pub(crate) fn any_2xx(self) -> Exchange {
        Exchange { success: &[], ..self }
    }
}

/// What an error keeps of `raw`.
pub(crate) fn received(raw: &RawResponse) -> Received<'_> {
    Received {
        status: raw.status(),
        headers: raw.headers(),
        body: raw.body(),
        truncated: raw.is_truncated(),
        request_id: raw.request_id(),
        request: raw.request_context(),
    }
}
