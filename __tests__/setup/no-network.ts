// nock 15's interceptors call Promise.withResolvers, which Node 20 lacks (it arrived in Node 22).
if (!(Promise as { withResolvers?: unknown }).withResolvers) {
  Object.assign(Promise, {
    withResolvers<T>() {
      let resolve!: (value: T) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    }
  });
}
import nock from 'nock';

// Nothing in the test suite may reach beyond this machine: only loopback connections are allowed.
nock.disableNetConnect();
nock.enableNetConnect(host => /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]|::1)(:\d+)?$/.test(host));
