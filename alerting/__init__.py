"""Alerting: rules, the alert state machine, incidents, mute stages, escalation and notifiers.

For the composition root (see :mod:`alerting.wiring`)::

    config = load_alerting_config(path_or_None)              # file:line errors, secrets by ref
    topology = ReachabilityTopology.from_inventory(inventory, pipeline.root_causes)
    #   (or topology.view.GraphTopologyView(live): any TopologyView)
    service = build_alerting(events, clock, topology, config, data_dir / "alerting.sqlite")
    await service.start()                   # restores active alerts, starts the deadline timer
    await service.on_samples(samples)       # every batch of samples, as collected
    await service.on_states(changes)        # every batch of state changes, once recorded
    await service.stop(); service.close()

The API reaches it as ``app.state.alerting``. Layering: alerting imports only the kernel
(noc.model, noc.store, noc.clock, noc.errors, noc.settings; noc.inventory's YAML reader) and
never polls a device; it depends on topology only through :class:`TopologyView`.
"""
