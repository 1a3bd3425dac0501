//! `maxConcurrent`: requests in flight per key, with a fair FIFO queue. Pure accounting; the shell
//! parks and wakes the waiting calls by ticket.

use crate::prelude::*;

/// One key's requests in flight and the tickets waiting, oldest first.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Slots {
    in_flight: u32,
    queue: Vec<u64>,
}

impl Slots {
    /// Requests in flight (the host's tests read it; the shell does not).
        #[cfg(any(feature = "std", not(target_arch = "wasm32")))]
    pub fn in_flight(&self) -> u32 {
        self.in_flight
    }

    /// Whether nobody is in flight or waiting (the entry can be dropped).
    pub fn is_idle(&self) -> bool {
        self.in_flight == 0 && self.queue.is_empty()
    }

    /// Takes a slot for `ticket` if one is free under `max` and nobody queued earlier is waiting;
    /// otherwise queues the ticket (once). First come, first served.
    pub fn try_enter(&mut self, ticket: u64, max: u32) -> bool {
        let first = self.queue.first().is_none_or(|&t| t == ticket);
        if first && self.in_flight < max {
            // The head is this ticket (tickets queue once).
            self.drop_ticket(ticket);
            self.in_flight += 1;
            return true;
        }
        if !self.queue.contains(&ticket) {
            self.queue.push(ticket);
        }
        false
    }

    /// The ticket at the head of the queue: the one to wake when a slot frees.
    pub fn next(&self) -> Option<u64> {
        self.queue.first().copied()
    }

    /// A request ended: frees its slot. Returns the ticket to wake.
    pub fn leave(&mut self) -> Option<u64> {
        self.in_flight = self.in_flight.saturating_sub(1);
        self.next()
    }

    /// Takes `ticket` out of the queue, without Vec::remove's panic path: one body for both callers.
    fn drop_ticket(&mut self, ticket: u64) {
        self.queue.retain(|&t| t != ticket);
    }

    /// A waiting call gave up (abort, deadline). Returns the ticket to wake if the head changed.
    pub fn cancel(&mut self, ticket: u64) -> Option<u64> {
        let was_first = self.queue.first() == Some(&ticket);
        self.drop_ticket(ticket);
        if was_first {
            self.next()
        } else {
            None
        }
    }
}
