"""Past capacity the server sheds load quickly with 503 and Retry-After instead of timing out,
and it answers at once when the load stops. A small capacity (2 requests at once, a line of
0.2 s) lets 100 clients on loopback show it in a few seconds; `make bench` runs the full size
(bench/belasting.py: 200 clients for 60 s)."""

import asyncio

from bench.belasting import belast


def test_overload_is_shed_with_503_not_time_outs(db, server_factory):
    server = server_factory(
        env={"STELSEL_MAX_GELIJKTIJDIG": "2", "STELSEL_WACHTRIJ_SECONDEN": "0.2"}
    )
    server.start()
    uitslag = asyncio.run(belast(server.base, clients=100, seconden=5))
    print(uitslag.regel(db.dialect.name))
    assert uitslag.timeouts == 0
    assert uitslag.fouten == 0, "500s under load"
    assert not uitslag.anders, uitslag.anders
    assert len(uitslag.ok) > 50, "the server stopped serving under load"
    assert uitslag.te_druk > 0, "100 clients on 2 places should be shed"
    assert uitslag.te_druk_zonder_retry_after == 0
    assert uitslag.herstel_ms < 1000, "the server did not recover at once"
