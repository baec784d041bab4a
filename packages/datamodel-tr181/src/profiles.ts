/**
 * Named device profiles: the objects and parameters a kind of device implements, as path lists
 * for {@link selectProfile}. A path ending in `.` takes the whole subtree; a table may be named
 * without its `{i}.` (`Device.NAT.PortMapping.`).
 * @module
 */

/** The named profiles. */
export type ProfileName = "cellular-module" | "home-gateway";

/** Every named profile. */
export const profileNames: readonly ProfileName[] = ["cellular-module", "home-gateway"];

/** `prefix` joined to each name, for lists of parameters of one object. */
const under = (prefix: string, names: readonly string[]): readonly string[] =>
  names.map((n) => `${prefix}${n}`);

// Parameters every CWMP device needs: identity (the Inform's DeviceId and forced parameters)
// and the ManagementServer settings an ACS provisions.
const device2Identity = under("Device.DeviceInfo.", [
  "Manufacturer",
  "ManufacturerOUI",
  "ModelName",
  "ModelNumber",
  "Description",
  "ProductClass",
  "SerialNumber",
  "HardwareVersion",
  "SoftwareVersion",
  "AdditionalSoftwareVersion",
  "ProvisioningCode",
  "UpTime",
  "FirstUseDate",
]);

const managementServerBasics = [
  "EnableCWMP",
  "URL",
  "Username",
  "Password",
  "PeriodicInformEnable",
  "PeriodicInformInterval",
  "PeriodicInformTime",
  "ParameterKey",
  "ConnectionRequestURL",
  "ConnectionRequestUsername",
  "ConnectionRequestPassword",
  "UpgradesManaged",
  "DefaultActiveNotificationThrottle",
  "CWMPRetryMinimumWaitInterval",
  "CWMPRetryIntervalMultiplier",
  "AliasBasedAddressing",
  "InstanceMode",
  "AutoCreateInstances",
  "SupportedConnReqMethods",
];

const device2ManagementServer = [
  ...under("Device.ManagementServer.", [
    ...managementServerBasics,
    "ScheduleReboot",
    "DelayReboot",
    "HTTPConnectionRequestEnable",
    "InstanceWildcardsSupported",
    // TR-069 Annex M: UDP Lightweight Notifications (notification values 3..6, CWMP 1.4).
    "LightweightNotificationProtocolsSupported",
    "LightweightNotificationProtocolsUsed",
    "LightweightNotificationTriggerInterval",
    "LightweightNotificationTriggerTime",
    "UDPLightweightNotificationHost",
    "UDPLightweightNotificationPort",
  ]),
  "Device.ManagementServer.InformParameter.",
  // TR-069 Annex O: heartbeat sessions.
  "Device.ManagementServer.HeartbeatPolicy.",
  // Which autonomous transfers are reported (10 AUTONOMOUS TRANSFER COMPLETE, §1.13).
  "Device.ManagementServer.AutonomousTransferCompletePolicy.",
];

const device2Time = under("Device.Time.", [
  "Enable",
  "Status",
  "NTPServer1",
  "NTPServer2",
  "CurrentLocalTime",
  "LocalTimeZone",
]);

const interfaceBasics = ["Enable", "Status", "Alias", "Name", "LastChange", "LowerLayers"];

// The traffic counters a gateway reports for each of its interfaces (the `.Stats.` objects).
const interfaceStats = [
  "BytesSent",
  "BytesReceived",
  "PacketsSent",
  "PacketsReceived",
  "ErrorsSent",
  "ErrorsReceived",
];

const device2IpInterface = [
  ...under("Device.IP.Interface.{i}.", [...interfaceBasics, "Type"]),
  "Device.IP.Interface.{i}.IPv4Address.",
];

// TR-069 Annex H software modules (ChangeDUState): the tables a `SoftwareModules` plugin fills,
// and the policy of AutonomousDUStateChangeComplete.
const device2SoftwareModules = [
  "Device.ManagementServer.DUStateChangeComplPolicy.",
  ...under("Device.SoftwareModules.", [
    "ExecEnvNumberOfEntries",
    "DeploymentUnitNumberOfEntries",
    "ExecutionUnitNumberOfEntries",
  ]),
  ...under("Device.SoftwareModules.ExecEnv.{i}.", [
    "Enable",
    "Status",
    "Name",
    "Type",
    "Vendor",
    "Version",
    "AllocatedDiskSpace",
    "AvailableDiskSpace",
    "AllocatedMemory",
    "AvailableMemory",
    "ActiveExecutionUnits",
  ]),
  ...under("Device.SoftwareModules.DeploymentUnit.{i}.", [
    "UUID",
    "DUID",
    "Name",
    "Status",
    "Resolved",
    "URL",
    "Description",
    "Vendor",
    "Version",
    "ExecutionUnitList",
    "ExecutionEnvRef",
  ]),
  ...under("Device.SoftwareModules.ExecutionUnit.{i}.", [
    "EUID",
    "Name",
    "ExecEnvLabel",
    "Status",
    "RequestedState",
    "ExecutionFaultCode",
    "ExecutionFaultMessage",
    "Vendor",
    "Version",
    "Description",
    "ExecutionEnvRef",
  ]),
];

const cellularModule: readonly string[] = [
  "Device.RootDataModelVersion",
  ...device2Identity,
  ...device2ManagementServer,
  ...device2Time,
  ...under("Device.Cellular.", ["RoamingEnabled", "RoamingStatus"]),
  "Device.Cellular.Interface.",
  "Device.Cellular.AccessPoint.",
  ...device2IpInterface,
  ...device2SoftwareModules,
];

// TR-181 IP diagnostics (TR-143), carried out through the agent's `Diagnostics` port.
const device2IpDiagnostics = [
  "Device.IP.Diagnostics.IPPing.",
  "Device.IP.Diagnostics.TraceRoute.",
  "Device.IP.Diagnostics.DownloadDiagnostics.",
  "Device.IP.Diagnostics.UploadDiagnostics.",
];

const homeGateway: readonly string[] = [
  "Device.RootDataModelVersion",
  ...device2Identity,
  "Device.DeviceInfo.MemoryStatus.",
  "Device.DeviceInfo.ProcessStatus.CPUUsage",
  "Device.DeviceInfo.VendorConfigFile.",
  ...device2ManagementServer,
  // TR-069 Annex F: a gateway reports the devices behind it that DHCP option 125 identified.
  "Device.ManagementServer.ManageableDevice.",
  "Device.ManagementServer.ManageableDeviceNotificationLimit",
  ...device2Time,
  "Device.Time.NTPServer3",
  ...under("Device.Ethernet.Interface.{i}.", [
    ...interfaceBasics,
    "Upstream",
    "MACAddress",
    "MaxBitRate",
    "CurrentBitRate",
    "DuplexMode",
  ]),
  ...under("Device.Ethernet.Interface.{i}.Stats.", interfaceStats),
  ...under("Device.Ethernet.Link.{i}.", [...interfaceBasics, "MACAddress"]),
  ...under("Device.WiFi.Radio.{i}.", [
    ...interfaceBasics,
    "Upstream",
    "MaxBitRate",
    "SupportedFrequencyBands",
    "OperatingFrequencyBand",
    "SupportedStandards",
    "OperatingStandards",
    "PossibleChannels",
    "Channel",
    "AutoChannelSupported",
    "AutoChannelEnable",
    "SupportedOperatingChannelBandwidths",
    "OperatingChannelBandwidth",
    "TransmitPowerSupported",
    "TransmitPower",
    "RegulatoryDomain",
  ]),
  ...under("Device.WiFi.SSID.{i}.", [...interfaceBasics, "BSSID", "MACAddress", "SSID"]),
  ...under("Device.WiFi.SSID.{i}.Stats.", interfaceStats),
  ...under("Device.WiFi.AccessPoint.{i}.", [
    "Enable",
    "Status",
    "Alias",
    "SSIDReference",
    "SSIDAdvertisementEnabled",
    "WMMEnable",
    "MaxAllowedAssociations",
  ]),
  ...under("Device.WiFi.AccessPoint.{i}.Security.", [
    "ModesSupported",
    "ModeEnabled",
    "KeyPassphrase",
    "SAEPassphrase",
  ]),
  ...under("Device.WiFi.AccessPoint.{i}.AssociatedDevice.{i}.", [
    "MACAddress",
    "AuthenticationState",
    "SignalStrength",
    "Active",
  ]),
  ...under("Device.IP.", ["IPv4Capable", "IPv4Enable", "IPv4Status"]),
  ...device2IpInterface,
  "Device.IP.Interface.{i}.Stats.",
  ...device2IpDiagnostics,
  "Device.Routing.Router.{i}.Enable",
  "Device.Routing.Router.{i}.Status",
  "Device.Routing.Router.{i}.IPv4Forwarding.",
  ...under("Device.PPP.Interface.{i}.", [
    ...interfaceBasics,
    "ConnectionStatus",
    "LastConnectionError",
    "Username",
    "Password",
  ]),
  ...under("Device.PPP.Interface.{i}.IPCP.", ["LocalIPAddress", "RemoteIPAddress", "DNSServers"]),
  ...under("Device.DHCPv4.Client.{i}.", [
    "Enable",
    "Alias",
    "Interface",
    "Status",
    "DHCPStatus",
    "IPAddress",
    "SubnetMask",
    "IPRouters",
    "DNSServers",
    "LeaseTimeRemaining",
  ]),
  "Device.DHCPv4.Server.Enable",
  ...under("Device.DHCPv4.Server.Pool.{i}.", [
    "Enable",
    "Status",
    "Alias",
    "Order",
    "Interface",
    "MinAddress",
    "MaxAddress",
    "SubnetMask",
    "DNSServers",
    "DomainName",
    "IPRouters",
    "LeaseTime",
  ]),
  "Device.DHCPv4.Server.Pool.{i}.StaticAddress.",
  "Device.NAT.InterfaceSetting.",
  "Device.NAT.PortMapping.",
  ...under("Device.Hosts.Host.{i}.", [
    "PhysAddress",
    "IPAddress",
    "DHCPClient",
    "Layer1Interface",
    "Layer3Interface",
    "InterfaceType",
    "HostName",
    "Active",
  ]),
  "Device.Hosts.Host.{i}.IPv4Address.",
  "Device.DNS.Client.Enable",
  "Device.DNS.Client.Status",
  "Device.DNS.Client.Server.",
  ...under("Device.Users.User.{i}.", ["Alias", "Enable", "Username", "Password", "Language"]),
  ...under("Device.Firewall.", [
    "Enable",
    "Config",
    "AdvancedLevel",
    "Type",
    "Version",
    "LastChange",
  ]),
  ...device2SoftwareModules,
];

const igdHomeGateway: readonly string[] = [
  ...under("InternetGatewayDevice.", ["DeviceSummary"]),
  ...under("InternetGatewayDevice.DeviceInfo.", [
    "Manufacturer",
    "ManufacturerOUI",
    "ModelName",
    "Description",
    "ProductClass",
    "SerialNumber",
    "HardwareVersion",
    "SoftwareVersion",
    "SpecVersion",
    "ProvisioningCode",
    "UpTime",
  ]),
  ...under("InternetGatewayDevice.ManagementServer.", managementServerBasics),
  "InternetGatewayDevice.ManagementServer.InformParameter.",
  ...under("InternetGatewayDevice.Time.", [
    "Enable",
    "Status",
    "NTPServer1",
    "NTPServer2",
    "CurrentLocalTime",
    "LocalTimeZoneName",
  ]),
  ...under("InternetGatewayDevice.LANDevice.{i}.LANHostConfigManagement.", [
    "DHCPServerEnable",
    "MinAddress",
    "MaxAddress",
    "SubnetMask",
    "DNSServers",
    "DomainName",
    "IPRouters",
    "DHCPLeaseTime",
  ]),
  "InternetGatewayDevice.LANDevice.{i}.LANHostConfigManagement.IPInterface.",
  ...under("InternetGatewayDevice.LANDevice.{i}.LANEthernetInterfaceConfig.{i}.", [
    "Enable",
    "Status",
    "Name",
    "MACAddress",
    "MaxBitRate",
    "DuplexMode",
  ]),
  ...under("InternetGatewayDevice.LANDevice.{i}.WLANConfiguration.{i}.", [
    "Enable",
    "Status",
    "Name",
    "BSSID",
    "MaxBitRate",
    "Channel",
    "AutoChannelEnable",
    "SSID",
    "BeaconType",
    "Standard",
    "KeyPassphrase",
    "WPAEncryptionModes",
    "WPAAuthenticationMode",
    "IEEE11iEncryptionModes",
    "IEEE11iAuthenticationMode",
    "PossibleChannels",
    "SSIDAdvertisementEnabled",
    "RadioEnabled",
    "TransmitPower",
    "RegulatoryDomain",
    "TotalAssociations",
  ]),
  "InternetGatewayDevice.LANDevice.{i}.Hosts.Host.",
  ...under("InternetGatewayDevice.WANDevice.{i}.WANConnectionDevice.{i}.WANIPConnection.{i}.", [
    "Enable",
    "ConnectionStatus",
    "PossibleConnectionTypes",
    "ConnectionType",
    "Name",
    "Uptime",
    "LastConnectionError",
    "NATEnabled",
    "AddressingType",
    "ExternalIPAddress",
    "SubnetMask",
    "DefaultGateway",
    "DNSEnabled",
    "DNSServers",
    "MACAddress",
  ]),
  "InternetGatewayDevice.WANDevice.{i}.WANConnectionDevice.{i}.WANIPConnection.{i}.PortMapping.",
  ...under("InternetGatewayDevice.WANDevice.{i}.WANConnectionDevice.{i}.WANPPPConnection.{i}.", [
    "Enable",
    "ConnectionStatus",
    "ConnectionType",
    "Name",
    "Uptime",
    "LastConnectionError",
    "NATEnabled",
    "Username",
    "Password",
    "ExternalIPAddress",
    "RemoteIPAddress",
    "DNSServers",
    "MACAddress",
  ]),
];

/** Path lists by profile name, then by root object name. */
const profiles: Readonly<Record<ProfileName, Readonly<Record<string, readonly string[]>>>> = {
  "cellular-module": { Device: cellularModule },
  "home-gateway": { Device: homeGateway, InternetGatewayDevice: igdHomeGateway },
};

/**
 * The path list of a named profile for a root data model (`Device`, `InternetGatewayDevice`),
 * or `undefined` when the profile has none for that root (`cellular-module` is Device:2 only)
 * or the name is unknown.
 */
export const profilePaths = (name: ProfileName, root: string): readonly string[] | undefined =>
  // Looked up defensively: JavaScript callers may pass any string as a name.
  (profiles as Partial<Record<string, Readonly<Record<string, readonly string[]>>>>)[name]?.[root];
