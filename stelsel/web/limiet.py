"""A cheap limit against a flood from one client: at most `aantal` events per key in a sliding
window of `seconden`.

Kept in this worker's memory only: a burst from one client is stopped; across workers the limit
is per worker. (The login limit, which must hold across workers, is kept in the database by
accounts.) Keys are hashed before they are kept, the oldest keys are dropped beyond `max_sleutels`,
and a key is forgotten once its window has passed.
"""

import hashlib
import threading
import time
from collections import OrderedDict, deque


class Limiet:
    def __init__(self, aantal: int, seconden: float, max_sleutels: int = 10_000) -> None:
        self.aantal, self.seconden, self.max_sleutels = aantal, seconden, max_sleutels
        self._tijden: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def sleutel(soort: str, waarde: str) -> str:
        """The key kept for a client value (an address, a session id): only its hash."""
        return hashlib.sha256(f"{soort}:{waarde}".encode()).hexdigest()[:32]

    def _vergeet(self, nu: float) -> None:
        # Keys are kept in the order of their last event: the expired ones stand in front.
        while self._tijden:
            tijden = next(iter(self._tijden.values()))
            if tijden and tijden[-1] > nu - self.seconden:
                break
            self._tijden.popitem(last=False)

    def wacht(self, sleutel: str, nu: float | None = None) -> int:
        """Seconds this key must wait before its next event (0: it may go now)."""
        nu = time.monotonic() if nu is None else nu
        with self._lock:
            return self._wacht(sleutel, nu)

    def _wacht(self, sleutel: str, nu: float) -> int:
        self._vergeet(nu)
        tijden = self._tijden.get(sleutel)
        while tijden and tijden[0] <= nu - self.seconden:
            tijden.popleft()
        if tijden is None or len(tijden) < self.aantal:
            return 0
        return int(tijden[0] + self.seconden - nu) + 1

    def tel(self, sleutel: str, nu: float | None = None) -> None:
        """Count one event of this key (after it was allowed)."""
        nu = time.monotonic() if nu is None else nu
        with self._lock:
            self._tel(sleutel, nu)

    def _tel(self, sleutel: str, nu: float) -> None:
        self._tijden.setdefault(sleutel, deque()).append(nu)
        self._tijden.move_to_end(sleutel)  # most recent last
        while len(self._tijden) > self.max_sleutels:
            self._tijden.popitem(last=False)

    def neem(self, sleutel: str, nu: float | None = None) -> int:
        """Check and count in one step: 0 when the event may go (it is counted), else the
        seconds to wait (nothing is counted)."""
        nu = time.monotonic() if nu is None else nu
        with self._lock:
            if wacht := self._wacht(sleutel, nu):
                return wacht
            self._tel(sleutel, nu)
            return 0

    def leeg(self) -> None:
        with self._lock:
            self._tijden.clear()
