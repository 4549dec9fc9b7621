"""Readings of power and cooling equipment by role, in the units their MIBs use.

scalars.yaml maps OIDs to these names; which vendor MIB a device speaks is data there.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from noc.lab.power import LOW_BATTERY_PCT
from noc.lab.thermal import ROOM_SETPOINT_C
from noc.model import Device, DeviceRole

if TYPE_CHECKING:
    from noc.lab.city import LabCity

Readings = dict[str, int | str]


def readings(city: LabCity, device: Device, t: float) -> Readings:
    role = device.role
    if role == DeviceRole.ups:
        return _ups(city, device.id, t)
    if role == DeviceRole.genset:
        return _genset(city, t)
    if role == DeviceRole.ats:
        return _ats(city, t)
    if role == DeviceRole.pdu:
        return _pdu(city, device.id, t)
    if role in (DeviceRole.hvac, DeviceRole.env_sensor):
        return _cooling(city, device.id, t)
    return {}


def _wave(city: LabCity, t: float, amplitude: float) -> float:
    local = t + city.tz_offset_s
    return 1 + amplitude * math.cos(2 * math.pi * (local - 14 * 3600) / 86_400)


def _ups(city: LabCity, ups: str, t: float) -> Readings:
    p = city.power
    load = p.ups_loads[ups] * _wave(city, t, 0.06)
    on_batt = p.on_battery(t)
    charge = p.charge(ups, t)
    runtime = p.runtime_s(ups, t)
    mains = p.ats_source(t) is not None
    volts = 230 + round(2 * math.sin(t / 53.0)) if mains else 0
    out_w = int(load * 100_000 / 3)
    low = on_batt and charge < LOW_BATTERY_PCT
    dead = on_batt and charge <= 0.0
    return {
        "battery_status": 3 if low else 2,
        "seconds_on_battery": int(p.seconds_on_battery(t)),
        "seconds_on_battery_ticks": int(p.seconds_on_battery(t) * 100),
        "minutes_remaining": int(runtime // 60),
        "runtime_s": int(runtime),
        "runtime_ticks": int(runtime * 100),
        "charge_pct": int(charge),
        "charge_dpct": int(charge * 10),
        "battery_voltage_dv": int(5400 + 40 * charge / 100 - (150 if on_batt else 0)),
        "battery_voltage_v": int(540 + 4 * charge / 100 - (15 if on_batt else 0)),
        "battery_temp_c": 24,
        "battery_temp_dc": 243,
        "input_line_bads": sum(1 for o in p.outages if o.start <= t),
        "input_freq_dhz": 500 if mains else 0,
        "input_freq_hz": 50 if mains else 0,
        "input_voltage_l1": volts,
        "input_voltage_l2": volts,
        "input_voltage_l3": volts,
        "input_voltage_dv": volts * 10,
        "line_fail_cause": 4 if not p.mains_ok(t) else 1,
        "output_source": 2 if dead else (5 if on_batt else 3),
        "apc_output_status": 3 if on_batt else 2,
        "xups_abm_status": 2 if on_batt else (1 if charge < 99.5 else 3),
        "output_voltage_l1": 0 if dead else 230,
        "output_voltage_l2": 0 if dead else 230,
        "output_voltage_l3": 0 if dead else 230,
        "output_current_da_l1": int(out_w / 230 * 10),
        "output_current_da_l2": int(out_w / 230 * 10 * 0.97),
        "output_current_da_l3": int(out_w / 230 * 10 * 1.02),
        "output_power_w_l1": out_w,
        "output_power_w_l2": int(out_w * 0.97),
        "output_power_w_l3": int(out_w * 1.02),
        "load_pct": round(load * 100),
        "load_dpct": round(load * 1000),
        "load_pct_l1": round(load * 100),
        "load_pct_l2": round(load * 97),
        "load_pct_l3": round(load * 102),
        "alarms_present": int(on_batt) + int(low),
    }


def _genset(city: LabCity, t: float) -> Readings:
    p = city.power
    running = p.genset_running(t)
    source = p.ats_source(t)
    bits = (1 if running else 2) | 4
    if p.genset_failed(t):
        bits |= 128
    bits |= {"A": 256, "B": 512}.get(source or "", 0)
    mains = p.mains_ok(t)
    fuel = max(0.0, 82.0 - p.run_seconds(t) * 5.0 / 3600)
    return {
        "status_bits": bits,
        "fuel_level_dpct": int(fuel * 10),
        "mains_freq_dhz": 500 if mains else 0,
        "mains_v_ll": 400 if mains else 0,
        "mains_v_ln": 231 if mains else 0,
        "gen_freq_dhz": 500 if running else 0,
        "gen_v_ll": 401 if running else 0,
        "gen_v_ln": 232 if running else 0,
        "gen_current_a": 290 if running and source == "B" else 0,
    }


def _ats(city: LabCity, t: float) -> Readings:
    p = city.power
    source = p.ats_source(t)
    a_ok = p.mains_ok(t)
    b_ok = p.genset_running(t) or not p.genset_failed(t)
    return {
        "selected_source": 2 if source == "B" else 1,
        "source_a_status": 2 if a_ok else 1,
        "source_b_status": 2 if b_ok else 1,
        "redundancy": 2 if a_ok and b_ok else 1,
        "phase_sync": 1 if a_ok else 2,
    }


def _pdu(city: LabCity, pdu: str, t: float) -> Readings:
    base_kw = 1.6 + 1.2 * (sum(map(ord, pdu)) % 7) / 7
    kw = base_kw * _wave(city, t, 0.05) if city.powered(pdu, t) else 0.0
    volts = 230 if kw else 0
    return {
        "pdu_load_state": 2 if kw else 1,
        "pdu_power_hkw": int(kw * 100),
        "phase_current_da": int(kw * 1000 / 230 * 10) if kw else 0,
        "phase_voltage": volts,
    }


def _cooling(city: LabCity, unit: str, t: float) -> Readings:
    room = city.thermal.room(t, city.tz_offset_s)
    failed = city.thermal.failed(unit, t) if unit in city.thermal.units else False
    humidity = 45.0 + 3.0 * math.sin((t + city.tz_offset_s) / 9000.0)
    ret = room + 1.5
    supply = ret - 0.3 if failed else 17.5 + max(0.0, room - ROOM_SETPOINT_C) * 0.4
    warn = 4 if room >= 32 else (2 if room >= 27 else 0)
    alarms = city.env_alarms.get(unit, set())
    return {
        "operate_mode": 3 if failed else 2,
        "cool_output_dkw": 0 if failed else int(180 + 20 * math.sin(t / 300.0)),
        "cool_demand_dkw": int(190 + 40 * max(0.0, room - ROOM_SETPOINT_C)),
        "rack_inlet_dc": round((room - 0.5) * 10),
        "supply_air_dc": round(supply * 10),
        "return_air_dc": round(ret * 10),
        "fan_speed_pct": 0 if failed else 62,
        "leaving_fluid_dc": 70 if failed else 125,
        "setpoint_dc": round(ROOM_SETPOINT_C * 10),
        "humidity_dpct": round(humidity * 10),
        "humidity_pct": round(humidity),
        "unit_on": 0 if failed else 1,
        "unit_alarm": 1 if failed else 0,
        "room_temp_dc": round(room * 10),
        "room_temp_c": round(room),
        "room_temp_str": f"{room:.6f}",
        "temp_error_status": warn,
        # NETBOTZV2-MIB dryContactSensorValue (leak rope): open(0) dry, closed(1) wet;
        # doorSwitchSensorValue: open(0) closed(1); ErrorStatus critical(4)
        "leak": 1 if "water-leak" in alarms else 0,
        "leak_error_status": 4 if "water-leak" in alarms else 0,
        "door_switch": 0 if "door-open" in alarms else 1,
    }
