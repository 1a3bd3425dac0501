#![cfg(not(target_arch = "wasm32"))]
//! Politeness per origin: the gate's until-times, the breaker's state machine and the FIFO slots,
//! with time passed in.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

use steadfetch::core::breaker::*;
use steadfetch::core::gate::*;
use steadfetch::core::kind::ErrorKind;
use steadfetch::core::slots::Slots;

#[test]
fn only_server_waits_close_the_gate() {
    let cap = 60_000;
    assert_eq!(server_wait(Some(429), Some(1000), None, cap), Some(1000));
    assert_eq!(server_wait(Some(503), Some(2000), None, cap), Some(2000));
    // GitHub: 403 with x-ratelimit-remaining 0 until the reset.
    assert_eq!(server_wait(Some(403), Some(5000), Some(0.0), cap), Some(5000));
    assert_eq!(server_wait(Some(403), Some(5000), Some(3.0), cap), None);
    assert_eq!(server_wait(Some(500), Some(1000), None, cap), None, "a 500's Retry-After is for that call");
    assert_eq!(server_wait(Some(429), None, None, cap), None, "no wait named");
    assert_eq!(server_wait(Some(429), Some(0), None, cap), None);
    assert_eq!(server_wait(None, Some(1000), None, cap), None);
}

#[test]
fn a_wait_longer_than_the_cap_of_the_call_that_saw_it_closes_nothing() {
    assert_eq!(server_wait(Some(429), Some(60_000), None, 60_000), Some(60_000));
    assert_eq!(server_wait(Some(429), Some(60_001), None, 60_000), None);
    // Retry-After: 9007199254740993 (clamped to the largest timer delay).
    assert_eq!(server_wait(Some(429), Some(2_147_483_647), None, 60_000), None);
}

#[test]
fn verdict_waits_within_the_cap_and_deadline_and_fails_beyond() {
    assert_eq!(verdict(None, 60_000, None), Verdict::Go);
    assert_eq!(verdict(Some(0), 60_000, None), Verdict::Go);
    assert_eq!(verdict(Some(1000), 60_000, None), Verdict::Wait(1000));
    assert_eq!(verdict(Some(60_000), 60_000, None), Verdict::Wait(60_000));
    assert_eq!(verdict(Some(60_001), 60_000, None), Verdict::Fail(60_001));
    assert_eq!(verdict(Some(1000), 60_000, Some(1000.0)), Verdict::Fail(1000), "ends at the deadline");
    assert_eq!(verdict(Some(999), 60_000, Some(1000.0)), Verdict::Wait(999));
}

#[test]
fn gates_keep_the_latest_until_and_expire() {
    let mut g = Gates::default();
    assert!(g.close("https://a", 2000.0, 429, 1000.0));
    assert!(!g.close("https://a", 1500.0, 429, 1000.0), "never shortened");
    assert_eq!(g.pending("https://a", 1000.0).map(|e| ms_until(e.until_ms, 1000.0)), Some(1000));
    assert!(g.pending("https://b", 1000.0).is_none(), "per key");
    assert!(g.close("https://a", 3000.0, 503, 1000.0));
    assert_eq!(g.pending("https://a", 2999.0).map(|e| e.status), Some(503));
    assert!(g.pending("https://a", 3000.0).is_none(), "open at the until-time");
    assert!(!g.close("https://a", 500.0, 429, 1000.0), "a past time closes nothing");
    assert!(!g.close("https://a", f64::INFINITY, 429, 1000.0));
    g.clear();
    assert!(g.pending("https://a", 0.0).is_none());
}

#[test]
fn keys_split_by_scope_and_bucket() {
    assert_eq!(key("", "https://api.github.com", None), "https://api.github.com");
    assert_eq!(key("", "https://api.github.com", Some("search")), "https://api.github.com search");
    assert_eq!(key("client-1", "https://api.github.com", Some("")), "client-1\nhttps://api.github.com");
    assert_ne!(key("a", "https://x", None), key("b", "https://x", None));
}

fn cfg() -> BreakerConfig {
    BreakerConfig { failure_threshold: 3, window_ms: 10_000.0, cooldown_ms: 5_000.0 }
}

#[test]
fn breaker_opens_after_the_threshold_fails_fast_probes_and_closes() {
    let c = cfg();
    let mut b = Breaker::default();
    assert_eq!(b.record(Outcome::Failure, false, &c, 0.0), None);
    assert_eq!(b.record(Outcome::Failure, false, &c, 100.0), None);
    assert_eq!(b.admit(150.0), Admit::Go);
    assert_eq!(b.record(Outcome::Failure, false, &c, 200.0), Some(Change::Opened(5200.0)));
    assert_eq!(b.admit(300.0), Admit::Reject(4900));
    assert_eq!(b.admit(5200.0), Admit::Probe, "after the cooldown one probe goes");
    assert_eq!(b.admit(5201.0), Admit::Reject(0), "only one");
    assert_eq!(b.record(Outcome::Success, true, &c, 5300.0), Some(Change::Closed));
    assert_eq!(b.admit(5301.0), Admit::Go);
}

#[test]
fn a_failed_probe_reopens_and_a_cancelled_one_lets_the_next_call_probe() {
    let c = cfg();
    let mut b = Breaker::Open { until_ms: 0.0 };
    assert_eq!(b.admit(1.0), Admit::Probe);
    assert_eq!(b.record(Outcome::Failure, true, &c, 10.0), Some(Change::Opened(5010.0)));
    assert_eq!(b.admit(5010.0), Admit::Probe);
    assert_eq!(b.record(Outcome::Neutral, true, &c, 5020.0), None);
    assert_eq!(b.admit(5021.0), Admit::Probe);
}

#[test]
fn successes_and_old_failures_reset_the_streak() {
    let c = cfg();
    let mut b = Breaker::default();
    b.record(Outcome::Failure, false, &c, 0.0);
    b.record(Outcome::Failure, false, &c, 1.0);
    b.record(Outcome::Success, false, &c, 2.0);
    assert_eq!(b.record(Outcome::Failure, false, &c, 3.0), None);
    b.record(Outcome::Failure, false, &c, 4.0);
    assert_eq!(b.record(Outcome::Failure, false, &c, 20_000.0), None, "outside the window: a new streak");
    assert_eq!(b.record(Outcome::Neutral, false, &c, 20_001.0), None);
    assert!(matches!(b, Breaker::Closed { failures: 1, .. }));
}

#[test]
fn what_the_breaker_counts() {
    assert_eq!(outcome(None, Some(200)), Outcome::Success);
    assert_eq!(outcome(Some(ErrorKind::Network), None), Outcome::Failure);
    assert_eq!(outcome(Some(ErrorKind::Timeout), None), Outcome::Failure);
    assert_eq!(outcome(Some(ErrorKind::Server), Some(502)), Outcome::Failure);
    assert_eq!(outcome(Some(ErrorKind::Unavailable), Some(503)), Outcome::Failure);
    assert_eq!(outcome(Some(ErrorKind::NotFound), Some(404)), Outcome::Success, "the server answered");
    assert_eq!(outcome(Some(ErrorKind::RateLimited), Some(429)), Outcome::Success, "the gate's business");
    assert_eq!(outcome(Some(ErrorKind::Aborted), None), Outcome::Neutral);
}

#[test]
fn other_tabs_open_and_close_the_circuit() {
    let mut b = Breaker::default();
    b.apply(Change::Opened(1000.0));
    assert_eq!(b.admit(500.0), Admit::Reject(500));
    b.apply(Change::Opened(800.0));
    assert_eq!(b.admit(500.0), Admit::Reject(500), "a later until wins");
    b.apply(Change::Closed);
    assert_eq!(b.admit(600.0), Admit::Go);
}

#[test]
fn slots_are_first_come_first_served() {
    let mut s = Slots::default();
    assert!(s.try_enter(1, 2));
    assert!(s.try_enter(2, 2));
    assert!(!s.try_enter(3, 2));
    assert!(!s.try_enter(4, 2));
    assert!(!s.try_enter(3, 2), "queued once");
    assert_eq!(s.leave(), Some(3));
    assert!(!s.try_enter(4, 2), "3 is ahead of 4");
    assert!(s.try_enter(3, 2));
    assert_eq!(s.in_flight(), 2);
    assert_eq!(s.next(), Some(4));
    assert_eq!(s.cancel(4), None, "no slot free: nobody to wake");
    assert_eq!(s.leave(), None);
    assert_eq!(s.leave(), None);
    assert!(s.is_idle());
}

#[test]
fn a_cancelled_head_hands_over_to_the_next() {
    let mut s = Slots::default();
    assert!(s.try_enter(1, 1));
    assert!(!s.try_enter(2, 1));
    assert!(!s.try_enter(3, 1));
    assert_eq!(s.cancel(2), Some(3));
    assert_eq!(s.cancel(3), None);
    assert_eq!(s.leave(), None);
    assert!(s.is_idle());
}
