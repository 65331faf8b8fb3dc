//! Long-running operations: whether an operation is one (and how its final result is found), and
//! which of its declared responses describe that result.

use crate::extensions;
use crate::ir::{FinalStateVia, HttpMethod};

/// `x-ms-long-running-operation` with its `final-state-via`.
pub(super) fn long_running(op: &openapiv3::Operation) -> Option<FinalStateVia> {
    extensions::long_running(&op.extensions)
}

/// How an operation's success responses relate to its result.
#[derive(Clone, Copy, Debug)]
pub(super) struct FinalResult {
    lro: bool,
    /// 202 is the only success status declared.
    only_202: bool,
}

impl FinalResult {
    pub fn new(lro: bool, success: impl IntoIterator<Item = u16>) -> Self {
        FinalResult { lro, only_202: success.into_iter().all(|s| s == 202) }
    }

    /// An LRO's result is what the terminal request returns, not the 202 acknowledgement, unless 202
    /// is the only success response the document declares.
    pub fn describes_result(self, status: u16) -> bool {
        !(self.lro && status == 202 && !self.only_202)
    }

    /// A long-running DELETE, or a POST that only declares its 202, may end with a 204 (no body).
    pub fn may_end_without_body(self, method: HttpMethod) -> bool {
        self.lro && (method == HttpMethod::Delete || (method == HttpMethod::Post && self.only_202))
    }
}
