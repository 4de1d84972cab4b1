"""Playing the sandbox: decisions as orders, doctrine opponents, fog of war, the game loop.

* :mod:`sandbox.play.decisions`: helpers that turn a decision (invest in a plant)
  into the dotted-key changes of an order;
* :mod:`sandbox.play.doctrine`: the :class:`~sandbox.play.doctrine.Doctrine`
  interface and the rule-based default;
* :mod:`sandbox.play.fog`: what a side sees (:class:`~sandbox.play.fog.View`);
* :mod:`sandbox.play.game`: turns: step ``turn_days`` days, ask each doctrine.

Orders themselves are checked, queued and logged by :mod:`sandbox.rules.orders`
(``model.apply_orders``).
"""
