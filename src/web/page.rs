//! Page-wide state without std: the module is single-threaded (built without atomics),
//! so a static cell is never shared between threads.

use core::cell::{RefCell, RefMut};

/// A value that lives as long as the page's module instance (std's `thread_local!`, which the
/// no_std build lacks; with one thread they are the same thing).
pub struct PageCell<T>(RefCell<Option<T>>);

// SAFETY: the wasm module is single-threaded (no `atomics` target feature), so no other thread
// can ever reach the cell.
unsafe impl<T> Sync for PageCell<T> {}

impl<T: Default> PageCell<T> {
    /// An empty cell; its value is made with `T::default()` on first use.
    pub const fn empty() -> PageCell<T> {
        PageCell(RefCell::new(None))
    }

    /// Runs `f` on the value. Calls never nest (no callback runs user code while it is borrowed).
    #[inline(always)]
    pub fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        f(&mut self.slot())
    }

    /// The value, made on first use: one body per type of value, not one per caller of `with`.
    #[inline(never)]
    fn slot(&self) -> RefMut<'_, T> {
        RefMut::map(self.0.borrow_mut(), |slot| slot.get_or_insert_with(T::default))
    }
}
