//! Page-wide state without std: the module is single-threaded (built without atomics),
//! so a static cell is never shared between threads.

use core::cell::UnsafeCell;

/// A value that lives as long as the page's module instance (std's `thread_local!`, which the
/// no_std build lacks; with one thread they are the same thing).
pub struct PageCell<T>(UnsafeCell<Option<T>>);

// SAFETY: the wasm module is single-threaded (no `atomics` target feature), so no other thread
// can ever reach the cell.
unsafe impl<T> Sync for PageCell<T> {}

impl<T: Default> PageCell<T> {
    /// An empty cell; its value is made with `T::default()` on first use.
    pub const fn empty() -> PageCell<T> {
        PageCell(UnsafeCell::new(None))
    }

    /// Runs `f` on the value. Calls never nest (no callback runs user code while it is borrowed,
    /// and no `with` runs inside another on the same cell), so the borrow is the only one: a
    /// RefCell's flag would only add a panic path that cannot be taken.
    #[inline(always)]
    pub fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        f(self.slot())
    }

    /// The value, made on first use: one body per type of value, not one per caller of `with`.
    #[inline(never)]
    #[allow(clippy::mut_from_ref)]
    fn slot(&self) -> &mut T {
        // SAFETY: single thread, and `with` never nests on one cell (see `with`), so this is the
        // only reference to the value while `f` runs.
        unsafe { (*self.0.get()).get_or_insert_with(T::default) }
    }
}
