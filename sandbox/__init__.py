"""The logistics race sandbox: who runs out first, and what closes the gap.

>>> import sandbox
>>> sc = sandbox.load_scenario("maps/examples/two_node.toml")
>>> res = sandbox.run(sc, seed=1, days=10)
>>> int(res.summary["days"])
10

The public names load lazily (PEP 562), so ``import sandbox`` and the command
line's ``--help`` stay cheap: Mesa and pandas load on first use of the model.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # for type checkers and IDEs; at run time __getattr__ loads them
    from sandbox.errors import ScenarioError as ScenarioError
    from sandbox.errors import UsageError as UsageError
    from sandbox.model import LogisticsModel as LogisticsModel
    from sandbox.observe.results import Results as Results
    from sandbox.plots.compare import compare as compare
    from sandbox.scenario.load import Scenario as Scenario
    from sandbox.scenario.load import from_dict as from_dict
    from sandbox.scenario.load import load_scenario as load_scenario
    from sandbox.simulation import run as run

# public name -> the module that defines it
_PUBLIC = {
    "LogisticsModel": "sandbox.model",
    "Results": "sandbox.observe.results",
    "Scenario": "sandbox.scenario.load",
    "ScenarioError": "sandbox.errors",
    "compare": "sandbox.plots.compare",
    "UsageError": "sandbox.errors",
    "from_dict": "sandbox.scenario.load",
    "load_scenario": "sandbox.scenario.load",
    "run": "sandbox.simulation",
}

__all__ = sorted(_PUBLIC)
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'sandbox' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # once loaded, a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_PUBLIC])
