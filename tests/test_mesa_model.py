"""The model plugs into Mesa's own tools (issue 16): keyword construction, a real
``mesa.DataCollector``, ``mesa.batch_run``, a network space and agents that report.

Hand-checkable numbers on ``two_node.toml``: the plant makes 1,000 rounds a day and
ships them all (the link carries 2,000); the battery fires 10 guns x 150 = 1,500 rounds
a day from the front's 5,000 until the stock runs out; a round weighs 0.05 t; transit
takes 3 days. So after day 1 the front holds 5,000 - 1,500 = 3,500 rounds (175 t), the
link carried 1,000 rounds (50 t); on day 4 the first 1,000 arrive and the front's
5,000 - 4 x 1,500 + 1,000 = 0 is gone; from day 5 the battery fires only what arrives.
"""

from __future__ import annotations

import inspect
import multiprocessing as mp
import pickle

import mesa
import numpy as np
import pytest

from sandbox.agents import AGENT_REPORTERS, FrontUnit, SupplyNode, TransportLink
from sandbox.errors import ScenarioError
from sandbox.model import LogisticsModel
from sandbox.scenario.load import load_scenario
from sandbox.simulation import run
from sandbox.space import lonlat_layout

from .conftest import EXAMPLES, MAPS

TWO_NODE = str(EXAMPLES / "two_node.toml")
STOCK = "blue.ammunition.stock"


def stepped(days: int, **kwargs) -> LogisticsModel:
    model = LogisticsModel(TWO_NODE, rng=0, **kwargs)
    for _ in range(days):
        model.step()
    return model


def by_type(model: LogisticsModel, cls: type) -> mesa.Agent:
    (agent,) = [a for a in model.agents if isinstance(a, cls)]
    return agent


def front(model: LogisticsModel) -> SupplyNode:
    return next(n for n in model.graph_nodes if n.node_id == "front")


def plant(model: LogisticsModel) -> SupplyNode:
    return next(n for n in model.graph_nodes if n.node_id == "plant")


# -- construction -------------------------------------------------------------------


def test_every_constructor_argument_has_a_default():
    params = inspect.signature(LogisticsModel).parameters
    assert {"scenario", "overrides", "rng", "record", "record_agents"} <= set(params)
    assert all(p.default is not inspect.Parameter.empty for p in params.values())


def test_overrides_are_applied_like_with_overrides():
    model = LogisticsModel(TWO_NODE, overrides={"units.battery.guns": 4}, rng=0)
    assert model.state.guns.tolist() == [4.0]
    model.step()
    assert by_type(model, FrontUnit).fire == 4 * 150


def test_a_bad_override_key_names_the_key():
    with pytest.raises(ScenarioError) as err:
        LogisticsModel(TWO_NODE, overrides={"units.battery.gunz": 4, "units.battery.guns": 4})
    (problem,) = err.value.problems
    assert "units.battery.gunz" in problem and "guns" in problem  # names it, suggests the fix


def test_running_turns_false_on_the_maps_last_day():
    days = load_scenario(TWO_NODE).days
    model = stepped(days - 1)
    assert model.running
    model.step()
    assert not model.running and model.steps == days == 30


# -- the DataCollector ----------------------------------------------------------------


def test_the_collector_is_a_mesa_datacollector_with_a_reporter_per_column():
    model = stepped(3)
    dc = model.datacollector
    assert isinstance(dc, mesa.DataCollector)
    assert list(dc.model_reporters) == dc.columns
    assert dc._collection_steps == [1.0, 2.0, 3.0]
    assert dc.model_vars[STOCK] == [3500.0, 2000.0, 500.0]
    assert dc.get_model_vars_dataframe()[STOCK].tolist() == [3500.0, 2000.0, 500.0]
    # each model reporter gives the column of the day just collected
    last = dict(zip(dc.columns, dc.last.tolist(), strict=True))
    assert {k: rep(model) for k, rep in dc.model_reporters.items()} == last


def test_agent_reporters_only_on_request():
    model = stepped(2)
    assert model.datacollector.agent_reporters == {}
    assert model.datacollector._agent_records == {}


def test_agent_reporters_give_stock_per_node_and_flow_per_link():
    model = stepped(2, record_agents=True)
    dc = model.datacollector
    assert list(dc.agent_reporters) == list(AGENT_REPORTERS)
    table = dc.get_agent_vars_dataframe()
    ids = {
        a.node_id if isinstance(a, SupplyNode) else type(a).__name__: a.unique_id
        for a in model.agents
        if not isinstance(a, FrontUnit)
    }
    assert table.loc[(1.0, ids["front"]), "stock_t"] == 3500 * 0.05
    assert table.loc[(2.0, ids["front"]), "stock_t"] == 2000 * 0.05
    assert table.loc[(1.0, ids["plant"]), "stock_t"] == 0.0
    link = ids["TransportLink"]
    assert table.loc[(1.0, link), "flow_t"] == 1000 * 0.05
    assert table.loc[(2.0, link), "in_transit_t"] == 2000 * 0.05
    assert np.isnan(table.loc[(1.0, link), "stock_t"])


def test_a_model_with_agent_reporters_pickles_and_steps_on_identically():
    model = stepped(3, record_agents=True)
    copy = pickle.loads(pickle.dumps(model))
    for m in (model, copy):
        m.step()
        m.step()
    np.testing.assert_array_equal(model.datacollector.rows, copy.datacollector.rows)
    assert model.datacollector._agent_records == copy.datacollector._agent_records


def test_a_pickled_model_leaves_its_kernels_buffers_behind_and_steps_on_identically():
    model = stepped(3)
    geometry = model.state.geometry
    assert geometry._scratch or geometry._zeroed  # the day's kernels made some
    copy = pickle.loads(pickle.dumps(model))
    assert copy.state.geometry._scratch == {} and copy.state.geometry._zeroed == {}
    assert geometry._scratch or geometry._zeroed  # the original keeps its own
    for m in (model, copy):
        for _ in range(5):
            m.step()
    assert model.datacollector.rows.tobytes() == copy.datacollector.rows.tobytes()
    assert model.state.stock.tobytes() == copy.state.stock.tobytes()


# -- batch_run ------------------------------------------------------------------------


@pytest.fixture
def keep_start_method():
    """mesa.batch_run forces "spawn" process-wide: put the old method back."""
    before = mp.get_start_method(allow_none=True)
    yield
    mp.set_start_method(before, force=True)


def test_batch_run_stops_at_the_horizon_and_matches_run(keep_start_method):
    overrides = [{"units.battery.guns": 5}, {"nodes.plant.production.ammunition": 2000}]
    rows = mesa.batch_run(
        LogisticsModel,
        parameters={"scenario": [TWO_NODE], "overrides": overrides},
        rng=[7],
        max_steps=100,  # beyond the map's 30 days: running=False stops each run
        data_collection_period=1,
        number_processes=1,
        display_progress=False,
    )
    assert len(rows) == 2 * 30
    sc = load_scenario(TWO_NODE)
    for run_id, ov in enumerate(overrides):
        mine = [r for r in rows if r["RunId"] == run_id]
        assert [r["Step"] for r in mine] == [float(d) for d in range(1, 31)]
        assert all(r["overrides"] == ov for r in mine)
        expected = run(sc.with_overrides(ov), seed=7).daily
        assert [r[STOCK] for r in mine] == expected[STOCK].tolist()
    # 5 guns fire 750 a day, under the plant's 1,000: the front's stock grows
    assert rows[29][STOCK] > 5000


# -- the network space ----------------------------------------------------------------


@pytest.mark.parametrize("path", [TWO_NODE, str(MAPS / "ukraine_2023.toml")])
def test_every_node_agent_sits_in_the_cell_of_its_row(path):
    model = LogisticsModel(path, rng=0, record="daily")
    assert model.grid is model.space
    assert isinstance(model.space, mesa.discrete_space.Network)
    nodes = model.spec.spec.nodes
    assert len(model.graph_nodes) == len(nodes) == len(model.space.all_cells)
    assert list(model.space.G.nodes) == list(range(len(nodes)))  # what Mesa's drawers index
    for row, (agent, nd) in enumerate(zip(model.graph_nodes, nodes, strict=True)):
        assert agent.cell is model.space[row] is model.space[nd.id]
        assert agent.cell.coordinate == agent.row == row
        assert model.space.name_of(agent.cell) == model.space.G.nodes[row]["name"] == nd.id
        assert agent in agent.cell.agents
        assert tuple(agent.cell.position) == (nd.lon, nd.lat)  # never a spring layout


def test_an_unknown_node_id_names_itself():
    with pytest.raises(KeyError, match="no node called 'nowhere'"):
        stepped(0).space["nowhere"]


def test_the_space_connects_a_links_two_cells_both_ways():
    space = stepped(0).space
    assert [space.name_of(c) for c in space["plant"].neighborhood] == ["front"]
    assert [space.name_of(c) for c in space["front"].neighborhood] == ["plant"]
    assert space.G.edges[0, 1]["links"] == [0]  # the map's one link, row 0


def _portray(agent):
    from mesa.visualization.components import AgentPortrayalStyle

    return AgentPortrayalStyle(color="tab:blue" if agent.side == "blue" else "tab:red", size=20)


def _markers(ax) -> np.ndarray:
    """The (x, y) of every scatter marker on ``ax``, sorted."""
    from matplotlib.collections import PathCollection

    offsets = [c.get_offsets() for c in ax.collections if isinstance(c, PathCollection)]
    points = np.concatenate(offsets) if offsets else np.empty((0, 2))
    return points[np.lexsort(points.T[::-1])]


@pytest.mark.parametrize("layout", ["spring", "lonlat"])
def test_mesas_stock_space_component_draws_one_marker_per_node(layout):
    """make_space_component (Mesa's own Solara component) renders the default map:
    one marker per node agent, at the node's (lon, lat) with lonlat_layout."""
    solara = pytest.importorskip("solara")
    from mesa.visualization import make_space_component

    model = LogisticsModel(rng=0, record="daily")
    axes: list = []
    kwargs = {"layout_alg": lonlat_layout} if layout == "lonlat" else {}
    component = make_space_component(_portray, post_process=axes.append, **kwargs)
    _, rc = solara.render(component(model), handle_error=False)
    rc.close()
    (ax,) = axes
    drawn = _markers(ax)
    assert len(drawn) == len(model.graph_nodes) == len(model.space.agents) == len(model.state.kind)
    if layout == "lonlat":
        s = model.state
        want = np.column_stack([s.lon, s.lat])
        np.testing.assert_allclose(drawn, want[np.lexsort(want.T[::-1])])


def test_mesas_space_renderer_draws_the_network_and_its_agents():
    pytest.importorskip("solara")
    from mesa.visualization import SpaceRenderer

    model = LogisticsModel(TWO_NODE, rng=0, record="daily")
    renderer = SpaceRenderer(model, backend="matplotlib")
    renderer.setup_agents(_portray).render()
    # the drawer's nodes, then the agents: two of each on the two-node map
    assert len(_markers(renderer.canvas)) == 2 + 2


# -- agents' methods --------------------------------------------------------------------


def test_node_reports_stock_days_of_supply_and_orders():
    model = stepped(1)
    f, p = front(model), plant(model)
    assert f.stock == {"ammunition": 3500.0}
    assert f.stock_t == 175.0
    # the forecast is the battery's 1,500 a day: 3,500 / 1,500 days
    assert f.days_of_supply == {"ammunition": pytest.approx(7 / 3)}
    # with its level unchanged, the front orders what it drew: 1,500
    assert f.orders == {"ammunition": 1500.0}
    assert p.orders == {"ammunition": 0.0}  # a factory has no supplier
    assert p.orders_received == {"ammunition": 1500.0}
    assert p.report() == {
        "stock": {"ammunition": 0.0},
        "days_of_supply": {"ammunition": 0.0},
        "orders": {"ammunition": 0.0},
    }


def test_link_reports_flow_and_in_transit():
    model = stepped(1)
    link = by_type(model, TransportLink)
    assert link.flow == {"ammunition": 1000.0} and link.flow_t == 50.0
    days = [link.in_transit_t]
    for _ in range(3):
        model.step()
        days.append(link.in_transit_t)
    # 1,000 rounds a day for 3 days in transit; from day 4 one lot lands as one leaves
    assert days == [50.0, 100.0, 150.0, 150.0]
    assert link.report() == {"flow_t": 50.0, "in_transit_t": 150.0, "up": 1.0}


def test_unit_reports_fire_and_strength():
    model = stepped(4)
    unit = by_type(model, FrontUnit)
    assert unit.fire == 1500.0 and unit.strength == 10.0  # day 4: 500 left + 1,000 landed
    model.step()
    assert unit.report() == {"fire": 1000.0, "strength": 10.0}  # day 5: only what lands


def test_cells_follow_depots_that_displacement_moves():
    path = str(MAPS / "lessons" / "interdiction.toml")
    model = LogisticsModel(path, overrides={"strikes.displacement": True}, rng=0, record="daily")
    start = {n.node_id: tuple(n.cell.position) for n in model.graph_nodes}
    while model.running and model.state.layout_version == 0:
        model.step()
    assert model.state.layout_version > 0  # the doctrine moved a depot
    s = model.state
    moved = [n for n in model.graph_nodes if tuple(n.cell.position) != start[n.node_id]]
    assert moved
    for n in model.graph_nodes:
        assert tuple(n.cell.position) == (s.lon[n.row], s.lat[n.row])
        assert model.space.find_nearest_cell(n.cell.position) is n.cell
        assert lonlat_layout(model.space.G)[n.row] == (s.lon[n.row], s.lat[n.row])
