import nock from 'nock';

// Nothing in the test suite may reach beyond this machine: only loopback connections are allowed.
nock.disableNetConnect();
nock.enableNetConnect(host => /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]|::1)(:\d+)?$/.test(host));
