//! Behaviour of the hand-written runtime (`iot_rest::runtime`) against local servers on
//! 127.0.0.1, one module per concern; hostile servers (endless bodies, redirect loops, oversized
//! heads, cross-origin monitors) included. Most operations are hand-written `Operation` impls
//! (`ops`), so those tests do not depend on any generated API module; `generated` drives the
//! generated IoT Central and DPS clients end to end. Time is faked: the injected `Sleep` records
//! and returns at once.

mod ops;
mod server;
mod tls;

mod azure;
mod bodies;
mod generated;
mod lro;
mod paging;
mod redirects;
mod retries;
mod secrets;
mod unions;
mod uploads;
