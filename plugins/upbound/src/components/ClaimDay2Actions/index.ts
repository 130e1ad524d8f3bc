export { ClaimDay2Actions } from './ClaimDay2Actions';
export type { ClaimDay2ActionsProps } from './ClaimDay2Actions';
