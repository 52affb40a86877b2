// In-process SDK clients in tests: keep the SDK's Node-version notice out of every test's output.
import { silenceSdkNodeVersionWarning } from "../src/nodeSupport.js";

silenceSdkNodeVersionWarning();
