"""One call of a client script (suds_call_all.py, zeep_call_all.py), recorded the way the tests read it."""


def record(calls, port, name, call, sent):
    """Runs call() and appends {"port", "op", "sent", "error"} to calls; sent() counts requests that went out."""
    before = sent()
    error = None
    try:
        call()
    except Exception as e:  # a Fault, an answer the client cannot read, a request it will not build
        error = (type(e).__name__ + ": " + str(e))[:200]
    calls.append({"port": port, "op": name, "sent": sent() > before, "error": error})
