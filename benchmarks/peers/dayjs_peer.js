// Runs one calendar workload through dayjs-business-time (run under
// TZ=Europe/Moscow: the package works in the process's local time).
//
//   node dayjs_peer.js PEERS_NODE_MODULES WORKLOAD.json RESULT.json
//
// WORKLOAD: {holidays: ["YYYY-MM-DD", ...], open: "09:00:00", close:
// "18:00:00", cases: [[start_ms, minutes, end_ms], ...]}.
// RESULT: {due_ms: [...], minutes: [...], add_seconds, diff_seconds}.
'use strict';
const fs = require('fs');
const path = require('path');

const [modules, workloadPath, resultPath] = process.argv.slice(2);
const dayjs = require(path.join(modules, 'dayjs'));
const businessTime = require(path.join(modules, 'dayjs-business-time'));
dayjs.extend(businessTime);

const w = JSON.parse(fs.readFileSync(workloadPath, 'utf8'));
const day = [{start: w.open, end: w.close}];
dayjs.setBusinessTime({
  sunday: null,
  monday: day,
  tuesday: day,
  wednesday: day,
  thursday: day,
  friday: day,
  saturday: null,
});
dayjs.setHolidays(w.holidays);

const n = w.cases.length;
const due = new Array(n);
const minutes = new Array(n);

let t0 = process.hrtime.bigint();
for (let i = 0; i < n; i++) {
  const [start, mins] = w.cases[i];
  due[i] = dayjs(start).addBusinessMinutes(mins).valueOf();
}
const addSeconds = Number(process.hrtime.bigint() - t0) / 1e9;

t0 = process.hrtime.bigint();
for (let i = 0; i < n; i++) {
  const [start, , end] = w.cases[i];
  minutes[i] = dayjs(start).businessMinutesDiff(dayjs(end));
}
const diffSeconds = Number(process.hrtime.bigint() - t0) / 1e9;

fs.writeFileSync(resultPath, JSON.stringify({
  due_ms: due,
  minutes: minutes,
  add_seconds: addSeconds,
  diff_seconds: diffSeconds,
}));
