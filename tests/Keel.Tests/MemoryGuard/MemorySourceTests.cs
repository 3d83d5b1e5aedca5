using Keel.MemoryGuard;

namespace Keel.Tests.MemoryGuard;

/// <summary>The sources against recorded contents of the kernel's files, laid out in a temporary directory.</summary>
public sealed class MemorySourceTests : IDisposable
{
    private const string V1ProcSelfCgroup = """
        9:name=systemd:/
        8:pids:/
        4:memory:/kubepods/pod1/abc
        3:cpuset:/
        0::/
        """;

    private const string V2ProcSelfCgroup = "0::/kubepods.slice/pod1.slice/abc.scope\n";

    private const string MemInfo = """
        MemTotal:       24683620 kB
        MemFree:        23376912 kB
        MemAvailable:   18512715 kB
        Buffers:          102400 kB
        """;

    private readonly string _root = Directory.CreateTempSubdirectory("keel-memory-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void CgroupV1_LimitedGroup_ReadsUsageMinusInactiveFileAgainstTheLimit()
    {
        Write("proc/self/cgroup", V1ProcSelfCgroup);
        Write("memory/kubepods/pod1/abc/memory.limit_in_bytes", "536870912\n");
        Write("memory/kubepods/pod1/abc/memory.usage_in_bytes", "400000000\n");
        Write("memory/kubepods/pod1/abc/memory.stat", "cache 1000\ninactive_file 50000000\ntotal_inactive_file 100000000\n");

        Assert.True(CgroupMemorySource.V1(Path("proc/self/cgroup"), Path("memory")).TryRead(out var reading));

        Assert.Equal("cgroup-v1", reading.Source);
        Assert.Equal(536870912, reading.LimitBytes);
        Assert.Equal(300000000, reading.UsedBytes);
    }

    [Fact]
    public void CgroupV1_UnlimitedGroupUnderALimitedParent_ReadsTheParent()
    {
        Write("proc/self/cgroup", V1ProcSelfCgroup);
        Write("memory/kubepods/pod1/abc/memory.limit_in_bytes", "9223372036854771712\n");
        Write("memory/kubepods/pod1/abc/memory.usage_in_bytes", "100\n");
        Write("memory/kubepods/pod1/memory.limit_in_bytes", "1000\n");
        Write("memory/kubepods/pod1/memory.usage_in_bytes", "900\n");

        Assert.True(CgroupMemorySource.V1(Path("proc/self/cgroup"), Path("memory")).TryRead(out var reading));

        Assert.Equal(1000, reading.LimitBytes);
        Assert.Equal(0.9, reading.Load, 3);
    }

    [Fact]
    public void CgroupV1_UnlimitedEverywhere_HasNoReading()
    {
        Write("proc/self/cgroup", V1ProcSelfCgroup);
        Write("memory/kubepods/pod1/abc/memory.limit_in_bytes", "9223372036854771712\n");
        Write("memory/kubepods/pod1/abc/memory.usage_in_bytes", "4046848\n");
        Write("memory/memory.limit_in_bytes", "9223372036854771712\n");

        Assert.False(CgroupMemorySource.V1(Path("proc/self/cgroup"), Path("memory")).TryRead(out _));
    }

    [Fact]
    public void CgroupV1_HostPathNotUnderTheMount_ReadsTheMountRoot()
    {
        Write("proc/self/cgroup", "4:memory:/docker/0123abcd\n");
        Write("memory/memory.limit_in_bytes", "2000\n");
        Write("memory/memory.usage_in_bytes", "500\n");

        Assert.True(CgroupMemorySource.V1(Path("proc/self/cgroup"), Path("memory")).TryRead(out var reading));

        Assert.Equal(0.25, reading.Load, 3);
    }

    [Fact]
    public void CgroupV1_MissingFiles_HasNoReading()
    {
        Assert.False(CgroupMemorySource.V1(Path("proc/self/cgroup"), Path("memory")).TryRead(out _));

        Write("proc/self/cgroup", V1ProcSelfCgroup);
        Assert.False(CgroupMemorySource.V1(Path("proc/self/cgroup"), Path("memory")).TryRead(out _));
    }

    [Fact]
    public void CgroupV2_LimitedGroup_ReadsCurrentMinusInactiveFileAgainstMemoryMax()
    {
        Write("proc/self/cgroup", V2ProcSelfCgroup);
        Write("cg/kubepods.slice/pod1.slice/abc.scope/memory.max", "1073741824\n");
        Write("cg/kubepods.slice/pod1.slice/abc.scope/memory.current", "900000000\n");
        Write("cg/kubepods.slice/pod1.slice/abc.scope/memory.stat", "anon 700000000\nfile 200000000\nactive_file 100000000\ninactive_file 100000000\n");

        Assert.True(CgroupMemorySource.V2(Path("proc/self/cgroup"), Path("cg")).TryRead(out var reading));

        Assert.Equal("cgroup-v2", reading.Source);
        Assert.Equal(1073741824, reading.LimitBytes);
        Assert.Equal(800000000, reading.UsedBytes);
    }

    [Fact]
    public void CgroupV2_Max_HasNoReading()
    {
        Write("proc/self/cgroup", "0::/\n");
        Write("cg/memory.max", "max\n");
        Write("cg/memory.current", "123\n");

        Assert.False(CgroupMemorySource.V2(Path("proc/self/cgroup"), Path("cg")).TryRead(out _));
    }

    [Fact]
    public void CgroupV2_OnAV1Machine_HasNoReading()
    {
        Write("proc/self/cgroup", V1ProcSelfCgroup);

        Assert.False(CgroupMemorySource.V2(Path("proc/self/cgroup"), Path("cg")).TryRead(out _));
    }

    [Fact]
    public void HostMemory_MemInfo_ReadsTotalMinusAvailable()
    {
        Write("proc/meminfo", MemInfo);

        Assert.True(new HostMemorySource(Path("proc/meminfo")).TryRead(out var reading));

        Assert.Equal(24683620L * 1024, reading.LimitBytes);
        Assert.Equal((24683620L - 18512715) * 1024, reading.UsedBytes);
        Assert.Equal(0.25, reading.Load, 2);
    }

    [Fact]
    public void HostMemory_MissingFileOrField_HasNoReading()
    {
        Assert.False(new HostMemorySource(Path("proc/meminfo")).TryRead(out _));

        Write("proc/meminfo", "MemTotal:       24683620 kB\nMemFree:        23376912 kB\n");
        Assert.False(new HostMemorySource(Path("proc/meminfo")).TryRead(out _));
    }

    [Fact]
    public void GcMemory_Always_ReportsAPositiveLimit()
    {
        Assert.True(new GcMemorySource().TryRead(out var reading));

        Assert.True(reading.LimitBytes > 0);
        Assert.True(reading.UsedBytes > 0);
    }

    [Theory]
    [InlineData("max", null)]
    [InlineData("9223372036854771712", null)]
    [InlineData("", null)]
    [InlineData("garbage", null)]
    [InlineData("536870912\n", 536870912L)]
    public void ParseLimit_RecordedValues_ReadsLimitOrNone(string text, long? expected) =>
        Assert.Equal(expected, MemoryFileParsers.ParseLimit(text));

    [Fact]
    public void MemoryReading_InvalidArguments_ThrowNamingTheParameter()
    {
        Assert.Equal("limitBytes", Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryReading("x", 0, 0)).ParamName);
        Assert.Equal("usedBytes", Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryReading("x", 1, -1)).ParamName);
        Assert.Equal("source", Assert.Throws<ArgumentException>(() => new MemoryReading(" ", 1, 1)).ParamName);
    }

    private string Path(string relative) => System.IO.Path.Join(_root, relative);

    private void Write(string relative, string contents)
    {
        var path = Path(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, contents);
    }
}
