import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// React Flow measures nodes with ResizeObserver and DOMMatrix, which jsdom lacks.
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
(globalThis as any).ResizeObserver ??= ResizeObserverStub;
(globalThis as any).DOMMatrixReadOnly ??= class {
  m22 = 1;
};

// Material tables render slowly on busy two-core CI machines.
jest.setTimeout(60_000);
configure({ asyncUtilTimeout: 10_000 });
