"""The logistics race sandbox: who runs out first, and what closes the gap.

>>> import sandbox
>>> sc = sandbox.load_scenario("maps/examples/two_node.toml")
>>> res = sandbox.run(sc, seed=1, days=10)
>>> int(res.summary["days"])
10
"""

from sandbox.errors import ScenarioError
from sandbox.model import LogisticsModel
from sandbox.results import Results
from sandbox.run import run
from sandbox.scenario import Scenario, from_dict, load_scenario

__all__ = [
    "LogisticsModel",
    "Results",
    "Scenario",
    "ScenarioError",
    "from_dict",
    "load_scenario",
    "run",
]
__version__ = "0.1.0"
