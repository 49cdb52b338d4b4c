"""The engine: pure functions from a schedule's parameters and a horizon to float lrs, with the
framework's own arithmetic. :mod:`.core` holds what every schedule shares; each framework has a
package of its own (:mod:`.torch`)."""
