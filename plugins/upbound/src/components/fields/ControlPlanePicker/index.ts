export { ControlPlanePicker } from './ControlPlanePicker';
