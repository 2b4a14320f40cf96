// The semver functions imgver uses, each from its own module: the package's index also loads its range classes,
// which build versions at load time, a cost every run would pay for nothing.
import clean from 'semver/functions/clean.js';
import coerce from 'semver/functions/coerce.js';
import gt from 'semver/functions/gt.js';
import gte from 'semver/functions/gte.js';
import inc from 'semver/functions/inc.js';
import lt from 'semver/functions/lt.js';
import major from 'semver/functions/major.js';
import parse from 'semver/functions/parse.js';
import prerelease from 'semver/functions/prerelease.js';
import rcompare from 'semver/functions/rcompare.js';
import rsort from 'semver/functions/rsort.js';
import valid from 'semver/functions/valid.js';

export default { clean, coerce, gt, gte, inc, lt, major, parse, prerelease, rcompare, rsort, valid };
