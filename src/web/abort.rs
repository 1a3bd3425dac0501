//! Watching an `AbortSignal` without leaking: the listener is removed when the watcher drops,
//! in the spirit of gloo-timers' `Timeout` that clears itself on drop.

use core::cell::RefCell;
use core::future::Future;
use core::pin::Pin;
use alloc::rc::Rc;
use core::task::{Context, Poll, Waker};
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

#[derive(Default)]
struct Shared {
    fired: bool,
    waker: Option<Waker>,
}

/// Runs `on_abort` once when the signal aborts; stops listening when dropped.
pub struct AbortListener {
    signal: AbortSignal,
    callback: Closure<dyn FnMut()>,
}

impl AbortListener {
    /// Listens to `signal`. Does not fire for a signal that is already aborted: check that first.
    pub fn new(signal: &AbortSignal, on_abort: impl FnMut() + 'static) -> AbortListener {
        let callback = Closure::<dyn FnMut()>::new(on_abort);
        let _ = signal.add_event_listener_with_callback("abort", callback.as_ref().unchecked_ref());
        AbortListener { signal: signal.clone(), callback }
    }
}

impl Drop for AbortListener {
    fn drop(&mut self) {
        let _ = self.signal.remove_event_listener_with_callback("abort", self.callback.as_ref().unchecked_ref());
    }
}

/// A future that completes when the signal aborts (never, without a signal).
pub struct Aborted {
    shared: Rc<RefCell<Shared>>,
    _listener: Option<AbortListener>,
}

impl Aborted {
    /// Watches `signal`; completes at once if it is already aborted.
    pub fn watch(signal: Option<&AbortSignal>) -> Aborted {
        let shared = Rc::new(RefCell::new(Shared::default()));
        let listener = signal.map(|s| {
            shared.borrow_mut().fired = s.aborted();
            let inner = shared.clone();
            AbortListener::new(s, move || {
                let mut state = inner.borrow_mut();
                state.fired = true;
                if let Some(waker) = state.waker.take() {
                    waker.wake();
                }
            })
        });
        Aborted { shared, _listener: listener }
    }
}

impl Future for Aborted {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = self.shared.borrow_mut();
        if state.fired {
            Poll::Ready(())
        } else {
            state.waker = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}

/// Which of two futures finished first.
pub enum Either<A, B> {
    /// The first.
    Left(A),
    /// The second.
    Right(B),
}

/// Polls both futures and returns the first result; the other is dropped (and so cancelled).
pub async fn race<A: Future, B: Future>(a: A, b: B) -> Either<A::Output, B::Output> {
    let mut a = core::pin::pin!(a);
    let mut b = core::pin::pin!(b);
    core::future::poll_fn(|cx| {
        if let Poll::Ready(v) = a.as_mut().poll(cx) {
            return Poll::Ready(Either::Left(v));
        }
        if let Poll::Ready(v) = b.as_mut().poll(cx) {
            return Poll::Ready(Either::Right(v));
        }
        Poll::Pending
    })
    .await
}

/// Waits `ms`, cut short by the signal. `Err(())` when aborted. The timer is cleared and the
/// listener removed whichever way it ends (js/glue.js `park`: one JS promise awaited, which costs
/// the module far less code than a Rust timer future raced against a signal future).
pub async fn sleep(ms: u32, signal: Option<&AbortSignal>) -> Result<(), ()> {
    let parked = super::js::park(signal, Some(ms as f64));
    match wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(parked.get(0))).await.ok().and_then(|v| v.as_f64()) {
        Some(1.0) => Err(()),
        _ => Ok(()),
    }
}
