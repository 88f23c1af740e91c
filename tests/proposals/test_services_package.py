"""`proposals.services` is a package with one module per part of the workflow; every public name
of every module stays reachable as `proposals.services.<name>`, and each step has its predicate."""

import importlib
import inspect
import pkgutil

import proposals.services as services


def test_every_public_name_is_re_exported():
    missing = []
    for info in pkgutil.iter_modules(services.__path__):
        module = importlib.import_module(f"proposals.services.{info.name}")
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj) and getattr(services, name, None) is not obj:
                missing.append(f"{info.name}.{name}")
    assert not missing, missing


def test_each_step_has_a_public_predicate():
    for predicate in (
        "may_edit",
        "may_submit",
        "may_review",
        "may_register",
        "may_assign",
        "may_send_back",
        "may_reassign",
        "may_extend",
        "may_decide_extension",
        "may_contact",
        "may_send_opinion",
        "may_reply",
        "may_fulfil",
        "may_give_feedback",
        "may_merge",
        "may_key",
        "may_set_supervisor",
        "may_supervise",
        "may_send_evaluation",
        "may_ask_evaluation",
        "may_give_verdict",
    ):
        assert callable(getattr(services, predicate)), predicate
