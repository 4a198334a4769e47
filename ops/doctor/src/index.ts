export { type Report, runDoctor } from './doctor.js';
export { type CheckResult, type DoctorSetup, type Evidence, type Status } from './model.js';
export { setupFrom } from './options.js';
export { formatReport } from './report.js';
